# When several objects die together, finalizers for dead objects run newest first.
import weakref
class A:
    pass
a = A()
b = A()
log = []
weakref.finalize(a, log.append, "a1")
weakref.finalize(b, log.append, "b1")
weakref.finalize(a, log.append, "a2")
weakref.finalize(b, log.append, "b2")
del a
print(log)
del b
print(log)
