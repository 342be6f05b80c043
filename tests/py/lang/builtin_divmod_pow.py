# divmod and three-argument pow.
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(17.5, 5), divmod(-0.5, 1))
print(divmod(10 ** 20, 7), divmod(True, 2))
print(pow(2, 8), pow(2, -1), pow(2.5, 2), pow(-2, 3), pow(0, 0))
print(pow(3, 200, 1000), pow(5, -1, 13), pow(-3, 3, 5), pow(2, 100, 10 ** 9 + 7))
for bad in [lambda: divmod(1, 0), lambda: pow(2, 3, 0), lambda: pow(2, -1, 4), lambda: pow(2.0, 3, 5)]:
    try:
        bad()
    except (ZeroDivisionError, ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)
