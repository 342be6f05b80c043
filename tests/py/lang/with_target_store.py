# with: the as-target is stored after __enter__, inside the protected block;
# a failing store still calls __exit__ with the exception.
class CM:
    def __init__(self, name, value=None, swallow=False):
        self.name, self.value, self.swallow = name, value, swallow
    def __enter__(self):
        print("enter", self.name)
        return self.value
    def __exit__(self, t, v, tb):
        print("exit", self.name, t.__name__ if t else None, v)
        return self.swallow

class NoSet:
    def __setattr__(self, k, v):
        raise AttributeError("cannot set " + k)

try:
    with CM("unpack", (1, 2, 3)) as (a, b):
        print("body not reached")
except ValueError as e:
    print("ValueError:", e)
with CM("swallowed", 5, swallow=True) as (a, b):
    print("not reached")
print("after swallowed")
try:
    with CM("attr", 7) as NoSet().x:
        print("not reached")
except AttributeError as e:
    print("AttributeError:", e)
d = {}
try:
    with CM("item", 1) as d[[]]:
        pass
except TypeError as e:
    print("TypeError:", e)
try:
    with CM("outer", 1) as x, CM("inner", (1,)) as (y, z):
        pass
except ValueError as e:
    print("ValueError:", e)
def gen():
    with CM("in generator", [1, 2]) as (p, q, r):
        yield p
try:
    next(gen())
except ValueError as e:
    print("ValueError:", e)
with CM("ok", (1, 2)) as (a, b):
    print("body", a, b)
class BadEnter:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *a):
        print("exit must not run")
try:
    with BadEnter() as z:
        pass
except RuntimeError as e:
    print("RuntimeError:", e)
class NoExit:
    def __enter__(self):
        print("enter NoExit")
try:
    with NoExit():
        pass
except (AttributeError, TypeError) as e:
    print(type(e).__name__, e)
import sys
c = CM("refcount", object())
before = sys.getrefcount(c.value)
with c as v:
    print(sys.getrefcount(v) - before)
del v
print(sys.getrefcount(c.value) - before)
