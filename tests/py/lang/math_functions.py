# math module functions with deterministic results.
import math
print(math.pi, math.e, math.tau, math.inf, math.nan != math.nan)
print(math.sqrt(2), math.sqrt(16), math.isqrt(17), math.hypot(3, 4))
print(math.exp(1), math.log(math.e), math.log(8, 2), math.log10(1000), math.log2(1024))
print(math.sin(0), math.cos(0), math.tan(0), math.atan2(1, 1) * 4)
print(math.degrees(math.pi), math.radians(180))
print(math.factorial(20), math.gcd(12, 18), math.lcm(4, 6), math.comb(10, 3), math.perm(5, 2))
print(math.fabs(-3), math.copysign(2, -0.0), math.fmod(-7, 3), -7 % 3)
print(math.isclose(0.1 + 0.2, 0.3), math.isinf(1e400), math.isnan(float("nan")), math.isfinite(1.0))
print(math.prod([1, 2, 3, 4]), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.pow(2, 10), math.modf(3.75), math.frexp(8.0), math.ldexp(0.5, 4))
for bad in [lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.factorial(-1)]:
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError:", e)
