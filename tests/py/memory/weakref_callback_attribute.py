# __callback__ is the callback while alive and None after the referent dies.
import weakref
class C:
    pass
def cb(r):
    print("cb ran")
c = C()
r = weakref.ref(c, cb)
print(r.__callback__ is cb, weakref.ref(c).__callback__)
del c
print(r.__callback__)
