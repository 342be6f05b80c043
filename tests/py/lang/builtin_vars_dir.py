# vars() and dir() on instances, classes and modules.
class P:
    cls_attr = 1
    def __init__(self):
        self.b = 2
        self.a = 1
    def meth(self):
        pass
p = P()
print(vars(p), p.__dict__ is vars(p))
vars(p)["c"] = 3
print(p.c)
print([n for n in dir(p) if not n.startswith("__")])
print("meth" in vars(P), "cls_attr" in vars(P), type(vars(P)).__name__)
import math
print("sqrt" in vars(math), "floor" in dir(math))
try:
    vars(5)
except TypeError as e:
    print("TypeError:", e)
def f():
    x = 1
    y = 2
    return sorted(dir()), sorted(vars())
print(f())
print(dir([])[-3:], "append" in dir(list))
