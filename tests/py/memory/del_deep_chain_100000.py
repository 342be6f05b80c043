# A 100000-node chain frees without a stack overflow; __del__ order stays head to tail.
class Node:
    __slots__ = ("next", "i")
count = 0
first = []
class Tracked:
    def __init__(self, i, nxt):
        self.i = i
        self.next = nxt
    def __del__(self):
        global count
        count += 1
        if len(first) < 3:
            first.append(self.i)
head = None
for i in range(100000, 0, -1):
    head = Tracked(i, head)
print("built")
head = None
print(count, first)
plain = None
for i in range(100000):
    n = Node()
    n.i = i
    n.next = plain
    plain = n
n = None
plain = None
print("plain chain freed")
