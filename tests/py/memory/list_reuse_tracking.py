# Lists made and dropped over and over: each new list is empty, tracked by
# the collector, and holds exactly what is put in it; a list subclass is
# never mixed with plain lists; counts of the items are exact throughout.
import gc
import sys

item = object()
base = sys.getrefcount(item)
for i in range(300):
    l = [item, i]
    assert gc.is_tracked(l)
    m = list()
    assert m == [] and gc.is_tracked(m)
    m.append(item)
    del l, m
print(sys.getrefcount(item) - base)


class L(list):
    pass


x = L([1, 2])
y = [3]
del x
z = list((4, 5))
print(type(z).__name__, z, y, len([]), [[] for _ in range(3)])
e = []
print(gc.is_tracked(e), e)
gc.collect()
print([i * 2 for i in range(5)], sys.getrefcount(item) - base)
