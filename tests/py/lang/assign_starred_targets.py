# Starred assignment targets.
a, *b = [1, 2, 3, 4]
print(a, b)
*a, b = "xyz"
print(a, b)
a, *b, c = range(5)
print(a, b, c)
a, *b, c = 1, 2
print(a, b, c)
first, *_, last = (10, 20, 30, 40)
print(first, last)
[x, *y] = (1,)
print(x, y)
(p, q), *r = [(1, 2), 3, 4]
print(p, q, r)
for h, *t in [(1, 2, 3), (4,)]:
    print(h, t)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
print([*range(3), *"ab"], (*[1, 2],), {*[1, 1, 2]}, {**{"a": 1}, "b": 2})
