# List comprehensions: filters, nesting, expressions.
print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([[y for y in range(x)] for x in range(4)])
print([c.upper() for c in "abc"])
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for i in range(3) for row in matrix])
print([[row[i] for row in matrix] for i in range(3)])
print([x if x > 2 else 0 for x in range(5)])
x = "outer"
print([x for x in "ab"], x)
print([i for i in []], [None for _ in range(2)])
