# Dicts start untracked, become tracked when a container is added, untracked again by a full collection.
import gc
d = {}
print(gc.is_tracked(d))
d["a"] = 1
d[2] = "two"
print(gc.is_tracked(d))
d["l"] = []
print(gc.is_tracked(d))
d["l"] = 5
print(gc.is_tracked(d))
gc.collect(0)
print(gc.is_tracked(d))
gc.collect()
print(gc.is_tracked(d))
e = {"t": tuple([1, 2])}
print(gc.is_tracked(e))
f = {"t": (1, 2)}
print(gc.is_tracked(f))
print(gc.is_tracked(dict(a=1)), gc.is_tracked({"x": {}}))
