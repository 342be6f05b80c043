# Classes derived from str, tuple, bytes and int: attributes, methods,
# construction through __new__, operations that return the exact base type,
# identity, hashing, weak references and their lifetime.
import sys, weakref, gc

class Name(str):
    def shout(self):
        return self.upper() + "!"

n = Name("héllo")
n.tag = "t"
print(type(n).__name__, n, repr(n), n.tag, n.shout(), len(n))
print(n == "héllo", hash(n) == hash("héllo"), isinstance(n, str), type(n + "x").__name__)
print(type(str(n)).__name__, str(n) == n, type(n[1:]).__name__, type(n.strip()).__name__)
d = {n: 1}
print(d["héllo"], "héllo" in d, Name("a") < "b", n.startswith("hé"), n.split("l"))
print(f"{n}|{n!r}|{n:>8}|", "%s" % n, "-".join([n, n]))
print(vars(n), n.__dict__)

class Pair(tuple):
    def __new__(cls, a, b):
        return super().__new__(cls, (a, b))
    @property
    def first(self):
        return self[0]
    def __repr__(self):
        return f"Pair{tuple.__repr__(self)}"

p = Pair(1, [2])
p.note = "n"
print(p, p.first, p.note, len(p), p[1], list(p), p + (3,), type(p + (3,)).__name__)
print(p == (1, [2]), isinstance(p, tuple), type(p[:1]).__name__, Pair(1, 2) == Pair(1, 2))
a, b = p
print(a, b, hash(Pair(1, 2)) == hash((1, 2)))
big = Pair(list(range(100)), "x")
print(len(big[0]), big.first[-1])

class Blob(bytes):
    pass
bl = Blob(b"abc")
bl.kind = "k"
print(bl, bl.kind, len(bl), bl[0], bl + b"d", type(bl + b"d").__name__, bl == b"abc", Blob(3))

class Big(int):
    def double(self):
        return Big(self * 2)
x = Big(2 ** 100)
x.unit = "u"
print(x, x.unit, x + 1, type(x + 1).__name__, x.double(), type(x.double()).__name__, x > 5)
y = Big(-7)
y.q = "q"
print(y, y.q, abs(y), type(abs(y)).__name__, bool(Big(0)), int(y), type(int(y)).__name__)

class Flag(int):
    pass
print(Flag(True), Flag("42"), Flag("ff", 16))

# Lifetime: instances are freed at once, weak references see it, and cycles
# through the instance's dict are collected.
class W(str):
    def __del__(self):
        print("del", str(self))
w = W("w1")
r = weakref.ref(w)
print(r() is w, sys.getrefcount(w))
del w
print(r())
c = Pair(1, 2)
c.self_ref = c
del c
print("collected", gc.collect() >= 1)

# __slots__ on a class derived from a variable-size built-in.
try:
    class T(tuple):
        __slots__ = ("a",)
except TypeError as e:
    print("TypeError:", e)
class T0(tuple):
    __slots__ = ()
print(T0((1, 2)), type(T0((1, 2))).__name__)
try:
    object.__new__(Name)
except TypeError as e:
    print("TypeError:", e)
