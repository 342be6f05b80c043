# The callback receives the (already dead) weakref when the referent dies by refcount.
import weakref
class C:
    pass
c = C()
def cb(ref):
    print("callback: ref is r:", ref is r, "referent:", ref())
r = weakref.ref(c, cb)
print("deleting")
del c
print("after delete")
d = C()
r2 = weakref.ref(d, cb)
del r2
del d
print("callback of a dead weakref never runs")
