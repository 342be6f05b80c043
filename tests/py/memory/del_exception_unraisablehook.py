# An exception in __del__ goes to sys.unraisablehook and does not propagate.
import sys
seen = []
def hook(u):
    seen.append((u.exc_type.__name__, str(u.exc_value), u.object.__qualname__, u.err_msg))
sys.unraisablehook = hook
class Bad:
    def __del__(self):
        raise ValueError("boom in __del__")
b = Bad()
del b
print("still running")
print(seen)
def cb(ref):
    raise KeyError("callback failed")
import weakref
class T:
    pass
t = T()
r = weakref.ref(t, cb)
del t
print(seen[1][0], seen[1][1], seen[1][2])
