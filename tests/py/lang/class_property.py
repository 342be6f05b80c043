# property with getter, setter and deleter.
class Circle:
    def __init__(self, r):
        self._r = r
    @property
    def radius(self):
        print("get radius")
        return self._r
    @radius.setter
    def radius(self, v):
        if v < 0:
            raise ValueError("negative radius")
        print("set radius", v)
        self._r = v
    @radius.deleter
    def radius(self):
        print("delete radius")
        del self._r
    @property
    def area(self):
        return 3 * self._r ** 2
c = Circle(2)
print(c.radius, c.area)
c.radius = 5
print(c.area)
try:
    c.radius = -1
except ValueError as e:
    print("ValueError:", e)
try:
    c.area = 1
except AttributeError as e:
    print("AttributeError:", e)
del c.radius
print(hasattr(c, "_r"))
print(type(Circle.radius).__name__)
