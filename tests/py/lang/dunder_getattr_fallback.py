# __getattr__ is only consulted when normal lookup fails.
class Proxy:
    def __init__(self, target):
        self.target = target
    def __getattr__(self, name):
        print("__getattr__", name)
        if name.startswith("x_"):
            raise AttributeError(f"no {name}")
        return getattr(self.target, name)
p = Proxy([3, 1, 2])
p.append(0)
print(p.target, p.count(1))
print(hasattr(p, "x_hidden"), getattr(p, "x_y", "dflt"))
print(p.target is p.__dict__["target"])
class Dyn:
    known = 1
    def __getattr__(self, name):
        return name.upper()
d = Dyn()
print(d.known, d.anything, d.other_name)
d.anything = "set"
print(d.anything)
try:
    p.x_missing
except AttributeError as e:
    print("AttributeError:", e)
class SetAttr:
    def __setattr__(self, name, value):
        print("setattr", name, value)
        super().__setattr__(name, value * 2)
s = SetAttr()
s.v = 21
print(s.v)
