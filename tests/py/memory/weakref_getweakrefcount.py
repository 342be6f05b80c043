# getweakrefcount/getweakrefs for weakrefable and non-weakrefable objects.
import weakref
class C:
    pass
c = C()
print(weakref.getweakrefcount(c), weakref.getweakrefs(c))
r1 = weakref.ref(c)
r2 = weakref.ref(c, lambda r: None)
r3 = weakref.ref(c, lambda r: None)
print(weakref.getweakrefcount(c))
del r2
print(weakref.getweakrefcount(c))
print(weakref.getweakrefcount(5), weakref.getweakrefs([1]), weakref.getweakrefcount("s"))
