# hasattr, getattr, setattr, delattr.
class C:
    cls_attr = "class"
    def method(self):
        return "method"
c = C()
setattr(c, "x", 1)
print(c.x, getattr(c, "x"), getattr(c, "cls_attr"), getattr(c, "method")())
print(getattr(c, "missing", "default"), hasattr(c, "x"), hasattr(c, "missing"))
delattr(c, "x")
print(hasattr(c, "x"))
try:
    getattr(c, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    delattr(c, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    getattr(c, 5)
except TypeError as e:
    print("TypeError:", e)
setattr(C, "added", 99)
print(c.added)
try:
    setattr(5, "x", 1)
except AttributeError as e:
    print("AttributeError:", e)
name = "dyn" + "amic"
setattr(c, name, "ok")
print(c.dynamic, getattr(c, "dynamic"))
