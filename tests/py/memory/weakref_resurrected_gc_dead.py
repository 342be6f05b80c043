# In 3.11 weakrefs to an object resurrected by the GC are already dead.
import gc
import weakref
saved = []
class R:
    def __del__(self):
        saved.append(self)
gc.collect()
o = R()
o.me = o
plain = weakref.ref(o)
with_cb = weakref.ref(o, lambda ref: print("callback runs before __del__"))
del o
print(gc.collect())
print(len(saved), plain() is None, with_cb() is None)
print(weakref.getweakrefcount(saved[0]))
