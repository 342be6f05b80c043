# weakref.ref: calling returns the referent while alive, None after.
import weakref
import sys
class C:
    pass
c = C()
before = sys.getrefcount(c)
r = weakref.ref(c)
print(sys.getrefcount(c) - before, r() is c, type(r).__name__)
print(weakref.getweakrefcount(c), weakref.getweakrefs(c)[0] is r)
del c
print(r(), weakref.getweakrefcount(r))
print(type(r) is weakref.ReferenceType, isinstance(r, weakref.ref))
