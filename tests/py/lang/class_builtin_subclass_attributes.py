# Instances of subclasses of built-in types (list, dict, Exception) take attributes.
class L(list):
    pass
l = L([1, 2])
l.x = 1
print(l, l.x, len(l), vars(l))
class D(dict):
    def __init__(self):
        super().__init__()
        self.tag = "t"
d = D()
d["a"] = 1
print(d, d.tag)
class E(Exception):
    def __init__(self, msg):
        super().__init__(msg)
        self.code = 3
try:
    raise E("m")
except E as e:
    print(e, e.code)
