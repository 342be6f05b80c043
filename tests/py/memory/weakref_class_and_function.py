# Weak references to functions and classes; class death needs the GC (its mro cycle).
import gc
import weakref
def f():
    return "f"
rf = weakref.ref(f, lambda r: print("function died"))
print(rf()())
del f
print(rf())
gc.collect()
class Temp:
    pass
rc = weakref.ref(Temp, lambda r: print("class died"))
del Temp
print("class still alive until collection:", rc() is not None)
print(gc.collect() > 0, rc())
