# Bound methods: new object per access, equal when same function and self.
class C:
    def m(self):
        return "m of " + self.name
    def __init__(self, name):
        self.name = name
a = C("a")
b = C("b")
m1 = a.m
m2 = a.m
print(m1 == m2, m1 is m2, m1.__self__ is a, m1.__func__ is C.m)
print(a.m == b.m, m1(), C.m(b))
print(type(m1).__name__, type(C.m).__name__)
unbound = C.m
print(unbound(a))
f = b.m
del b
print(f())
ms = [C(str(i)).m for i in range(3)]
print([m() for m in ms])
print(a.m.__name__, a.m.__qualname__)
