# Floats are never cached: each computation gives a new object.
a = float("1.5")
b = float("1.5")
print(a == b, a is b)
c = a * 1
print(c == a, c is a)
x = 2.0
y = x
print(x is y)
x += 0.0
print(x is y, x == y)
print(float("0.0") is float("0.0"))
