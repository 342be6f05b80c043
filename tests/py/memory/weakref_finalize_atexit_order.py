# Finalizers still alive at exit run in reverse creation order (atexit=True); atexit=False ones don't.
import weakref
class R:
    pass
objs = [R() for _ in range(4)]
for i, o in enumerate(objs):
    f = weakref.finalize(o, print, "finalizer", i)
    if i == 2:
        f.atexit = False
print("end of script")
