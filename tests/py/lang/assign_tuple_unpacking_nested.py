# Tuple unpacking, swaps, nested targets, errors.
a, b = 1, 2
a, b = b, a
print(a, b)
(a, b), c = (3, 4), 5
print(a, b, c)
x, (y, (z, w)) = 1, (2, (3, 4))
print(x, y, z, w)
for i, (k, v) in enumerate({"a": 1, "b": 2}.items()):
    print(i, k, v)
l = [0, 0, 0]
i = 0
i, l[i] = 1, 9
print(i, l)
s1, s2 = "ab"
print(s1, s2)
for bad in [(1, 2, 3), (1,)]:
    try:
        m, n = bad
    except ValueError as e:
        print("ValueError:", e)
try:
    m, n = 5
except TypeError as e:
    print("TypeError:", e)
