# __prepare__ namespaces (a dict subclass, any mapping), metaclass choice and conflicts, a function as metaclass.
class Rec(dict):
    def __setitem__(self, k, v):
        print("set", k)
        super().__setitem__(k, v)
class M(type):
    @classmethod
    def __prepare__(m, name, bases):
        return Rec()
    def __new__(m, name, bases, ns):
        print(type(ns).__name__, sorted(k for k in ns if not k.startswith("__")))
        return super().__new__(m, name, bases, dict(ns))
class K(metaclass=M):
    a = 1
    def f(self): return __class__
print(K().f() is K)
class Bad(type):
    @classmethod
    def __prepare__(m, *a):
        return 5
try:
    class Z(metaclass=Bad): pass
except TypeError as e:
    print(e)
class M1(type): pass
class M2(type): pass
class A(metaclass=M1): pass
class B(metaclass=M2): pass
try:
    class C(A, B): pass
except TypeError as e:
    print(e)
class M3(M1): pass
class D(A, metaclass=M3): pass
class E(D): pass
print(type(D).__name__, type(E).__name__)
def fm(name, bases, ns, **kw):
    return (name, bases, sorted(ns), kw)
class F(int, metaclass=fm, x=1):
    y = 2
print(F)
class Log:
    def __init__(self):
        self.d = {}
    def __getitem__(self, k):
        return self.d[k]
    def __setitem__(self, k, v):
        self.d[k] = v
class LM(type):
    @classmethod
    def __prepare__(m, name, bases):
        return Log()
    def __new__(m, name, bases, ns):
        return super().__new__(m, name, bases, ns.d)
class LC(metaclass=LM):
    x = 1
    y = x + 1
    def g(self): return __class__
print(LC.y, LC().g() is LC)
