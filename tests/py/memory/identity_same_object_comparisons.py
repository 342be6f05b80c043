# id(x) == id(y) exactly when x is y, for live objects.
x = 10
y = x
print(id(x) == id(y), x is y)
x += 1
print(id(x) == id(y), x is y, y)
a = [1, 2]
b = a
b.append(3)
print(id(a) == id(b), a)
c = a[:]
print(id(a) == id(c), a == c)
t1 = (1, 2)
t2 = (1, 2)
print(t1 is t2)
d = {}
print(id(d) == id(d.copy()))
print(None is None, id(None) == id(type(None)()))
