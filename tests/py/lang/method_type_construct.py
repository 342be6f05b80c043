# Bound methods built from Python: type(obj.meth)(function, instance), as types.MethodType.
class A:
    def f(self, x):
        return (self, x)
a = A()
M = type(a.f)
print(M.__name__)
def g(self, y):
    return ("g", y)
m = M(g, a)
print(m(5), m.__self__ is a, m.__func__ is g, m == M(g, a), hash(m) == hash(M(g, a)))
try:
    M(1, a)
except TypeError as e:
    print("TypeError:", e)
try:
    M(g)
except TypeError as e:
    print("TypeError:", e)
try:
    M(g, None)
except TypeError as e:
    print("TypeError:", e)
print(repr(M(len, 3))[:30])
