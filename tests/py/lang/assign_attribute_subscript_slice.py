# Assignment to attributes, subscripts and slices.
class P:
    pass
p = P()
p.x = 1
p.y = p.x + 1
print(p.x, p.y)
l = [0, 1, 2, 3, 4, 5]
l[0] = "a"
l[-1] = "z"
print(l)
l[1:3] = ["b"]
print(l)
l[1:1] = [7, 8, 9]
print(l)
l[::2] = [0] * len(l[::2])
print(l)
l[:] = "xy"
print(l)
l[5:] = [1]
print(l)
try:
    l[::2] = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
d = {}
d["k"] = 1
d[(1, 2)] = "t"
print(d)
n = [[0, 0], [0, 0]]
n[1][0] = 5
print(n)
try:
    (1, 2)[0] = 5
except TypeError as e:
    print("TypeError:", e)
try:
    "abc"[0] = "x"
except TypeError as e:
    print("TypeError:", e)
