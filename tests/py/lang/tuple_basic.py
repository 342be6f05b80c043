# Tuples: packing, single-element, immutability, methods, comparison.
t = 1, 2, 3
print(t, type(t).__name__, (), (1,), (1), tuple("ab"), tuple([1, [2]]))
print(t.count(2), t.index(3), len(t), t + (4,), t * 2)
print(t < (1, 2, 4), (1, 2) < (1, 2, 0), (0, "a") < (0, "b"))
nested = (1, [2, 3])
nested[1].append(4)
print(nested)
try:
    t[0] = 9
except TypeError as e:
    print("TypeError:", e)
try:
    t.index(99)
except ValueError as e:
    print("ValueError:", e)
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "ok"}[(1, 2)])
try:
    hash((1, [2]))
except TypeError as e:
    print("TypeError:", e)
a, b, c = t
print(a + b + c, t[::-1], t[1:])
