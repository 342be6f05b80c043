# class C(Base, metaclass=M, **kw): keywords go to the metaclass's __prepare__,
# __new__ and __init__, and through type.__new__ to __init_subclass__.
class Meta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name, kw)
        return {}
    def __new__(mcls, name, bases, ns, **kw):
        print("new", name, [b.__name__ for b in bases], sorted(kw.items()))
        return super().__new__(mcls, name, bases, ns, **kw)
    def __init__(cls, name, bases, ns, **kw):
        print("init", name, sorted(kw.items()))
        super().__init__(name, bases, ns)

class Base:
    def __init_subclass__(cls, /, tag=None, **rest):
        print("init_subclass", cls.__name__, tag, rest)
        super().__init_subclass__()
        cls.tag = tag

class A(Base, metaclass=Meta, tag="a", extra=1):
    pass
print(type(A).__name__, A.tag)
class B(A, tag="b", extra=2):
    pass
print(type(B).__name__, B.tag)
opts = {"tag": "c", "extra": 3}
class C(Base, **opts):
    pass
print(C.tag)
class D(Base):
    pass
print(D.tag)
try:
    class E(Base, bogus=1):
        pass
except TypeError as e:
    print("TypeError:", e)
try:
    class F(bogus=1):
        pass
except TypeError as e:
    print("TypeError:", e)
class Plain(type):
    pass
try:
    class G(metaclass=Plain, x=1):
        pass
except TypeError as e:
    print("TypeError:", e)
class Registry:
    subclasses = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Registry.subclasses.append(cls.__name__)
class R1(Registry): pass
class R2(R1): pass
print(Registry.subclasses)
def make(**kw):
    class Local(Base, **kw):
        pass
    return Local
print(make(tag="local").tag)
X = Meta("X", (Base,), {}, tag="dyn")
print(X.tag)
X2 = type("X2", (Base,), {}, tag="t")
print(X2.tag)
