# Ints in [-5, 256] are cached singletons; others are new objects per computation.
def same(a, b):
    return a is b
for v in [-6, -5, 0, 1, 255, 256, 257, 1000]:
    a = int(str(v))
    b = int(str(v))
    print(v, same(a, b))
x = 1000
print(same(x + 0, x * 1))
y = 100
print(same(y + 0, y * 1))
n = 250
while n < 260:
    m = n + 1
    print(n + 1, same(m, n + 1))
    n += 1
