# Two instances in a cycle count as 2 in 3.11 (no per-instance dict until asked for).
import gc
class Node:
    def __init__(self, value):
        self.value = value
        self.ref = None
gc.collect()
n1 = Node(1)
n2 = Node(2)
n1.ref = n2
n2.ref = n1
del n1, n2
print(gc.collect())
s = Node("self")
s.ref = s
del s
print(gc.collect())
ring = [Node(i) for i in range(5)]
for i in range(5):
    ring[i].ref = ring[(i + 1) % 5]
del ring
print(gc.collect())
