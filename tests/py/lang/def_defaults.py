# Default values are evaluated once, at definition time.
counter = 0
def make_default():
    global counter
    counter += 1
    return counter
def f(a, b=make_default(), c=[]):
    c.append(a)
    return b, c
print(counter)
print(f(1))
print(f(2))
print(f(3, 0, []))
print(f(4))
print(counter)
print(f.__defaults__[0], len(f.__defaults__))
def g(x=None):
    if x is None:
        x = []
    x.append(1)
    return x
print(g(), g())
v = 5
def h(a=v):
    return a
v = 6
print(h())
