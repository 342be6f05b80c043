# inf, nan, negative zero.
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, float("-inf"), float("Infinity"), float("NaN"))
print(inf + 1, inf - inf, inf * 0, 1 / inf, -1 / inf)
print(nan == nan, nan != nan, nan < 1, nan > 1, inf > 10 ** 300)
print(-0.0, 0.0 == -0.0, str(-0.0), -0.0 + 0.0)
print(1e308 * 10, -1e308 * 10, 1e-320)
l = [nan]
print(nan in l, l == l, [float("nan")] == [float("nan")])
print(float("  3.5\n"), float("-1e3"), float(7))
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1.0 % 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(int(1e20), int(-2.5))
