# Float arithmetic whose operands are temporaries, named values, shared
# values and the same object twice: every named float keeps its value and
# identity, refcounts of named floats are unchanged by expressions over them,
# and division by zero still raises after an inline fast path.
import sys

a = 1.5
b = 2.25
keep_a, keep_b = id(a), id(b)
r = a * b + a * a - b / a
print(r, a, b, id(a) == keep_a, id(b) == keep_b)

x = 3.0
before = sys.getrefcount(x)
y = (x * x) * (x + x) - (x - 1.0) / (x + 1.0)
after = sys.getrefcount(x)
print(y, x, after == before)

c = a
c += 1.0
print(a, c, c is a)
c *= c
print(c)

l = [0.5, 0.25]
s = l[0] + l[1] * 2.0
print(s, l)

t = 1.0
for i in range(5):
    t = t * 1.5 + 0.5 - t / 4.0
print(t)

z = 0.0
try:
    print((a + b) / (z * 2.0))
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(a / 0.0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)

class F(float):
    pass

f = F(2.0)
g = f * 3.0
print(type(g).__name__, g, type(f + f).__name__)
print(1.0 + 2, 2 * 1.5, 7.0 // 2.0, 7.0 % 2.5, 2.0 ** 10, -(0.5 * 4.0))
print(float("inf") - float("inf") != float("inf") - float("inf"))

# A float and an int, either side, converted as float arithmetic converts.
n = 3
big = 2 ** 62 + 1
print(n * 0.25, 0.25 * n, n / 2.0, 7 - 0.5, 0.5 - 7, n + 1.0, 1.0 / n)
print(big * 1.0, 1.0 * big, big + 0.0, big / 3.0, -big - 0.5, 10 ** 30 * 1.5)
print(2.0 / 4, 1 / 0.5, True + 0.5, 0.5 * False)
try:
    print(n / 0.0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(1.5 / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
