# super() follows the MRO of the instance, cooperative __init__ with kwargs.
class Root:
    def __init__(self, **kw):
        print("Root init, leftover", kw)
class A(Root):
    def __init__(self, a=None, **kw):
        print("A init", a)
        super().__init__(**kw)
class B(Root):
    def __init__(self, b=None, **kw):
        print("B init", b)
        super().__init__(**kw)
class C(A, B):
    def __init__(self, **kw):
        print("C init")
        super().__init__(**kw)
C(a=1, b=2, c=3)
class P:
    def m(self):
        return "P.m"
class Q(P):
    def m(self):
        return "Q.m>" + super(Q, self).m()
print(Q().m())
class S:
    @classmethod
    def make(cls):
        return cls.__name__
class T(S):
    @classmethod
    def make(cls):
        return "T>" + super().make()
print(T.make())
