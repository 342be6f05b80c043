# GC death: weakref callbacks run before __del__, and __del__ then sees its weakrefs dead.
import gc
import weakref
class N:
    def __del__(self):
        print("__del__: weakref alive?", r() is not None)
gc.collect()
n = N()
n.me = n
r = weakref.ref(n, lambda ref: print("callback: referent", ref()))
del n
print("collect:", gc.collect())
