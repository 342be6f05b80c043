# Instance __dict__ keeps attribute insertion order; class attributes are shared until shadowed.
class Rec:
    default = "class value"
r = Rec()
r.z = 1
r.a = 2
r.m = 3
print(list(vars(r)), r.default)
r.default = "instance value"
print(r.default, Rec.default, list(vars(r)))
del r.default
print(r.default)
del r.a
r.a = 4
print(list(vars(r)))
class Slotted:
    __slots__ = ("x", "y")
s = Slotted()
s.x = 1
try:
    s.z = 3
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(s, "__dict__"), s.x, hasattr(s, "y"))
