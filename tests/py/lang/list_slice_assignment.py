# Slice assignment can grow, shrink and insert; del removes ranges.
l = list(range(8))
l[2:5] = ["a"]
print(l)
l[1:1] = ["x", "y"]
print(l)
l[-2:] = []
print(l)
l[:0] = [100]
print(l)
l[len(l):] = [200, 300]
print(l)
l[::3] = ["S"] * len(l[::3])
print(l)
l[1:3] = range(3)
print(l)
l[2:4] = "hi"
print(l)
a = [1, 2, 3]
a[:] = a + a
print(a)
b = a
b[:] = []
print(a)
