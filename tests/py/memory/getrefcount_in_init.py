# sys.getrefcount of arguments inside __init__ and __new__ during a class call: CPython 3.11 holds
# them on the caller's stack, in the call's argument tuple (and kwargs dict), and with keywords in
# one more array; a plain function call holds only the stack and the frame.
import sys
class A:
    def __init__(self, x, y=None):
        print("init", sys.getrefcount(x), sys.getrefcount(self))
    def m(self, x):
        print("m", sys.getrefcount(x), sys.getrefcount(self))
def f(x):
    print("f", sys.getrefcount(x))
o = object()
a = A(o)
a.m(o)
f(o)
A(o, y=1)
A.__init__(a, o)
class B(A):
    pass
B(o)
class C:
    def __new__(cls, x):
        print("new", sys.getrefcount(x))
        return super().__new__(cls)
    def __init__(self, x):
        print("init C", sys.getrefcount(x))
C(o)
class D:
    def __init__(self, *args, **kw):
        print("D", sys.getrefcount(args[0]), sys.getrefcount(self), len(kw))
D(o)
D(o, k=o)
class E(list):
    def __init__(self, x):
        print("E", sys.getrefcount(x))
        super().__init__()
E(o)
class F:
    __slots__ = ("v",)
    def __init__(self, v):
        self.v = v
        print("F", sys.getrefcount(v))
F(o)
def make():
    p = object()
    A(p)
    print("after", sys.getrefcount(p))
make()
print("end", sys.getrefcount(o))
