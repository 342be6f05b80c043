# Callback-less refs to the same object are shared; refs with callbacks are distinct.
import weakref
class C:
    pass
c = C()
a = weakref.ref(c)
b = weakref.ref(c)
print(a is b)
cb = lambda r: None
x = weakref.ref(c, cb)
y = weakref.ref(c, cb)
print(x is y, x is a, weakref.getweakrefcount(c))
p1 = weakref.proxy(c)
p2 = weakref.proxy(c)
print(p1 is p2, weakref.getweakrefcount(c))
refs = weakref.getweakrefs(c)
print(refs[0] is a, refs[1] is p1, refs[2] is y, refs[3] is x)
