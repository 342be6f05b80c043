# *args collects a tuple, **kwargs a dict in call order.
def f(*args, **kwargs):
    print(type(args).__name__, args, type(kwargs).__name__, kwargs)
f()
f(1, "two", [3])
f(z=1, a=2, m=3)
def g(first, *rest):
    return first, rest
print(g(1), g(1, 2, 3))
def h(**kw):
    kw["added"] = True
    return kw
d = {"x": 1}
print(h(**d), d)
def total(*nums, start=0):
    s = start
    for n in nums:
        s += n
    return s
print(total(1, 2, 3), total(start=10), total(*range(5), start=1))
