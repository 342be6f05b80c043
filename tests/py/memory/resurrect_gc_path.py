# Resurrection on the GC path: __del__ runs once, weakrefs are already dead, collect() excludes it.
import gc
import weakref
saved = []
class Phoenix:
    def __del__(self):
        print("__del__ called")
        saved.append(self)
gc.collect()
p = Phoenix()
p.self_ref = p
r = weakref.ref(p)
del p
print(gc.collect())
print(len(saved), r() is None, saved[0].self_ref is saved[0], gc.is_finalized(saved[0]))
saved.clear()
print("second collection:", gc.collect())
print(gc.collect())
