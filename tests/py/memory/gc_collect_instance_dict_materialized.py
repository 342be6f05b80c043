# Touching __dict__ materialises a dict per instance: the cycle then counts 2 per instance.
import gc
class Node:
    def __init__(self):
        self.ref = None
gc.collect()
a = Node()
b = Node()
a.ref = b
b.ref = a
a.__dict__
del a, b
print(gc.collect())
c = Node()
d = Node()
c.ref = d
d.ref = c
c.__dict__
d.__dict__
del c, d
print(gc.collect())
e = Node()
e.ref = e
vars(e)
del e
print(gc.collect())
