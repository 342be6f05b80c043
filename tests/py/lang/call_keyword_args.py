# Positional and keyword arguments, defaults, errors.
def f(a, b, c=3, d=4):
    return (a, b, c, d)
print(f(1, 2))
print(f(1, 2, 5))
print(f(1, b=7))
print(f(d=1, c=2, b=3, a=4))
print(f(1, 2, d=0))
for call in [lambda: f(1), lambda: f(1, 2, 3, 4, 5), lambda: f(1, a=2),
             lambda: f(1, 2, e=5)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
def g(x, /, y, *, z):
    return x, y, z
print(g(1, 2, z=3), g(1, y=2, z=3))
try:
    g(x=1, y=2, z=3)
except TypeError as e:
    print("TypeError:", e)
try:
    g(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)
