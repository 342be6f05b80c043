# enumerate with start; zip stops at the shortest (strict=True checks lengths).
for i, c in enumerate("abc"):
    print(i, c)
print(list(enumerate(["x", "y"], start=10)), list(enumerate([])))
e = enumerate("hi")
print(next(e), next(e), type(e).__name__)
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1])))
print(dict(zip(["k1", "k2"], [1, 2])), list(zip(*[(1, "a"), (2, "b")])))
names, ages = zip(*[("ann", 3), ("bo", 5)])
print(names, ages)
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as e:
    print("ValueError:", e)
print(list(zip(range(3), range(10, 13), "xyz")))
