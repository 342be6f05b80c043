# abs, min, max (key, default), sum (start).
print(abs(-5), abs(3.5), abs(-0.0), abs(-10 ** 30), abs(True))
print(min(3, 1, 2), max(3, 1, 2), min([4, 5]), max("hello"), min("b", "a", "c"))
print(max([1, -7, 3], key=abs), min(["bb", "a", "ccc"], key=len), max([], default="empty"))
print(max([(1, "b"), (1, "a")]), min([2, 1, 1.0]), max(1, 1.0), max(1.0, 1))
print(sum([1, 2, 3]), sum([1, 2], 10), sum([0.1] * 10), sum([[1], [2]], []), sum(range(101)))
for bad in [lambda: min([]), lambda: max(), lambda: sum(["a", "b"], ""), lambda: max(1, "a")]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)
print(min([3, 1, 2], key=lambda x: -x), max(range(5), key=lambda x: x % 3))
