# del of names, attributes, subscripts, slices and tuples of targets.
x = 1
del x
try:
    x
except NameError as e:
    print("NameError:", e)
class C:
    pass
c = C()
c.a = 1
c.b = 2
del c.a
print(hasattr(c, "a"), c.b)
try:
    del c.zzz
except AttributeError as e:
    print("AttributeError:", e)
l = list(range(10))
del l[0]
del l[-1]
print(l)
del l[1:3]
print(l)
del l[::2]
print(l)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
try:
    del d["zz"]
except KeyError as e:
    print("KeyError:", e)
p, q = 1, 2
del p, q
print("p" in dir(), "q" in dir())
m = [1, 2, 3]
del (m[0], m[0])
print(m)
def f():
    v = 1
    del v
    return "v" in locals()
print(f())
