# Resurrection on the refcount path: __del__ stores self; object survives, weakref stays alive.
import weakref
import sys
saved = []
class Phoenix:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("__del__", self.name)
        saved.append(self)
p = Phoenix("p")
r = weakref.ref(p, lambda ref: print("callback fired"))
del p
print("resurrected:", len(saved), r() is saved[0], sys.getrefcount(saved[0]))
print("dropping again")
saved.clear()
print("weakref now dead:", r() is None)
