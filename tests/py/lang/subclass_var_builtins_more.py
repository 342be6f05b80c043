# More patterns with classes derived from str, tuple, int and bytes: a
# __new__ that stores extra state, __eq__/__hash__ overrides as dict keys,
# formatting, sorting, gc introspection and sizes relative to the base.
import sys, gc

class Color(str):
    def __new__(cls, value):
        obj = super().__new__(cls, value.lower())
        obj.raw = value
        return obj
    def __eq__(self, other):
        return str.__eq__(self, other.lower() if isinstance(other, str) else other)
    def __hash__(self):
        return str.__hash__(self)

c = Color("RED")
print(c, c.raw, c == "Red", c == "red", {c: 1}.get("red"), sorted([Color("b"), Color("A")]))
print(format(c, "^7"), c.upper(), c.encode(), c * 2, type(c * 2).__name__)

class Point(tuple):
    __slots__ = ()
    def __new__(cls, x, y):
        return tuple.__new__(cls, (x, y))
    x = property(lambda self: self[0])
    y = property(lambda self: self[1])
    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)

p = Point(1, 2) + Point(3, 4)
print(p, p.x, p.y, type(p).__name__, sorted([Point(2, 1), Point(1, 9)]), max(Point(5, 6)))
try:
    p.z = 1
except AttributeError as e:
    print("AttributeError:", e)

class Level(int):
    def __repr__(self):
        return f"Level({int(self)})"
levels = [Level(3), Level(1), Level(2)]
print(sorted(levels), levels[0] + 1, "%d|%x|%s" % (levels[0], levels[0], levels[0]), f"{levels[1]:03d}")
print(Level(5).bit_length(), divmod(Level(7), 2), -Level(4), Level(2) ** 10)
print(Level(10**30) // 7, type(Level(10**30) // 7).__name__, Level("17"), Level(3.9))

class Tagged(bytes):
    def __new__(cls, data, tag):
        b = super().__new__(cls, data)
        b.tag = tag
        return b
t = Tagged(b"xyz", "T")
print(t, t.tag, t.decode(), t[1:], type(t[1:]).__name__)

# The collector sees the instance's attributes and the base's items.
class Node(tuple):
    pass
a = Node(([],))
a.other = a
print(a[0] in gc.get_referents(a), a.__dict__ in gc.get_referents(a) or a in gc.get_referents(a.__dict__))
print(gc.is_tracked(Color("x")), gc.is_tracked(Level(3)))
del a
print(gc.collect() > 0)

# A derived instance is larger than its base's, by its own fields.
print(sys.getsizeof(Color("abc")) > sys.getsizeof("abc"), sys.getsizeof(Level(7)) > sys.getsizeof(7))
print(sys.getsizeof(Point(1, 2)) >= sys.getsizeof((1, 2)), Point(1, 2).__sizeof__() == (1, 2).__sizeof__())
