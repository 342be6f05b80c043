# Dict and set comprehensions.
print({x: x * x for x in range(5)})
print({k: v for k, v in zip("abc", [1, 2, 3]) if v != 2})
print(sorted({x % 4 for x in range(20)}))
print({v: k for k, v in {"a": 1, "b": 2}.items()})
words = ["apple", "bob", "cat", "anna"]
print({w[0]: w for w in words})
print(sorted({len(w) for w in words}))
print({(i, j): i * j for i in range(2) for j in range(2)})
print(type({x for x in ""}).__name__, {x: 1 for x in ""})
