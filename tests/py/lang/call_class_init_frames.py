# Instances made by calling a class whose __init__ is a plain function:
# the instance and __init__ as __init__ sees them (reference counts), an
# __init__ that returns something other than None, one that raises, __del__
# of the half-made instance, nested construction, and RecursionError.
import sys


class Plain:
    def __init__(self, a, b):
        self.a = a
        self.b = b


p = Plain(1, 2)
print(p.a, p.b, type(p).__name__)


class Counts:
    def __init__(self, x):
        self.self_refs = sys.getrefcount(self)
        self.init_refs = sys.getrefcount(Counts.__init__)


obj = object()
before = sys.getrefcount(obj)
c = Counts(obj)
print(c.self_refs, c.init_refs - sys.getrefcount(Counts.__init__))
print(sys.getrefcount(obj) - before)


class Noisy:
    def __init__(self, name, fail):
        self.name = name
        if fail == "raise":
            raise ValueError("no " + name)
        if fail == "return":
            return 42

    def __del__(self):
        print("del", self.name)


n = Noisy("kept", None)
try:
    Noisy("raised", "raise")
except ValueError as e:
    print("ValueError:", e)
try:
    Noisy("returned", "return")
except TypeError as e:
    print("TypeError:", e)
print("after failures")
del n


class Tree:
    def __init__(self, depth):
        self.kids = [Tree(depth - 1), Tree(depth - 1)] if depth else []

    def size(self):
        return 1 + sum(k.size() for k in self.kids)


print(Tree(4).size())


class Deep:
    def __init__(self, n):
        self.inner = Deep(n + 1)


try:
    Deep(0)
except RecursionError as e:
    print("RecursionError:", e)


class WithDefaults:
    def __init__(self, a, b=5):
        self.total = a + b


print(WithDefaults(1).total, WithDefaults(1, 2).total, WithDefaults(a=3).total)


def make_error():
    return Noisy("tb", "raise")


make_error()
