# WeakValueDictionary entries vanish when values die, by refcount or by GC.
import gc
import weakref
class V:
    def __init__(self, n):
        self.n = n
gc.collect()
d = weakref.WeakValueDictionary()
a, b, c = V(1), V(2), V(3)
d["a"] = a
d["b"] = b
d["c"] = c
print(sorted(d.keys()), len(d), d["a"].n)
del a
print(sorted(d.keys()))
c.me = c
del c
print(sorted(d.keys()), "c" in d)
gc.collect()
print(sorted(d.keys()), "c" in d)
try:
    d["a"]
except KeyError as e:
    print("KeyError:", e)
print(d.get("b").n, d.get("a", "gone"))
del b
print(len(d), list(d.items()))
