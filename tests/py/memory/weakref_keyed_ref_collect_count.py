# A WeakValueDictionary value in a cycle: collection removes the entry.
import gc
import weakref
class V:
    pass
gc.collect()
d = weakref.WeakValueDictionary()
v = V()
v.me = v
d["k"] = v
del v
print(len(d))
n = gc.collect()
print(n >= 1, len(d), list(d.keys()))
