# types.MethodType constructed from Python, float repr where the correctly rounded
# shortest candidate does not round-trip (2.0**710), CPython's gamma/lgamma, struct_time's zone.
class A:
    def f(self, x=1):
        return (self, x)
a = A()
M = type(a.f)
m = M(A.f, a)
print(M.__name__, m(5)[1], m.__self__ is a, m.__func__ is A.f, m == a.f)
m2 = M(len, [1, 2, 3])
print(m2())
try:
    M(1, a)
except TypeError as e:
    print("TypeError:", e)
try:
    M(A.f, None)
except TypeError as e:
    print("TypeError:", e)
print(2.0 ** 710, 2.0 ** 700, 1e300 * 10, 5e-324, 2.0 ** -1074, 1.7976931348623157e308, 2.0**1000, 123456789012345678.0)
import math
for x in [0.5, 1.0, 1.5, 2.5, 5.0, 10.1, 20.0, 30.5, 100.0, 171.5, -0.5, -1.5, -2.5, 1e-10, 3.7, 0.001, 7.25, 143.0]:
    print(x, repr(math.gamma(x)) if x < 171.7 else None, repr(math.lgamma(x)))
for bad in [0.0, -1.0, -2.0, 172.0, float("inf"), float("-inf")]:
    for fn in (math.gamma, math.lgamma):
        try:
            print(fn.__name__, bad, fn(bad))
        except (ValueError, OverflowError) as e:
            print(fn.__name__, bad, type(e).__name__, e)
print(math.gamma(float("nan")), math.lgamma(float("nan")), math.lgamma(float("inf")))
import time
t = time.localtime(0)
print(type(t.tm_zone).__name__, type(t.tm_gmtoff).__name__, time.gmtime(0).tm_zone, time.gmtime(0).tm_gmtoff, len(t), t.tm_isdst)
