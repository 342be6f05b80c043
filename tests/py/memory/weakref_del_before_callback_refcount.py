# Refcount death: __del__ runs first and sees its weakref alive, then the callback runs.
import weakref
class N:
    def __del__(self):
        print("__del__: weakref alive?", r() is self)
n = N()
r = weakref.ref(n, lambda ref: print("callback: referent", ref()))
del n
print("done")
