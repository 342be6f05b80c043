# An inconsistent MRO is a TypeError at class creation (uncaught).
class A: pass
class B(A): pass
print("defining C")
class C(A, B): pass
print("not reached")
