# An exception in a weakref callback is reported on stderr as "Exception ignored in" (no address
# because the reported object is a bound method of a class with a fixed repr).
import weakref
class Reporter:
    def __repr__(self):
        return "<Reporter>"
    def __call__(self, ref):
        raise RuntimeError("callback error")
class T:
    pass
t = T()
r = weakref.ref(t, Reporter())
del t
print("program continues")
