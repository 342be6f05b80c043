# __eq__ and __hash__: set/dict membership uses both.
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __eq__(self, other):
        if not isinstance(other, Point):
            return NotImplemented
        return (self.x, self.y) == (other.x, other.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __repr__(self):
        return f"P({self.x},{self.y})"
a, b, c = Point(1, 2), Point(1, 2), Point(2, 1)
print(a == b, a is b, a != c, a == (1, 2), a != "x")
s = {a, b, c}
print(len(s), Point(2, 1) in s)
d = {a: "first"}
d[b] = "second"
print(d)
class NoHash:
    def __eq__(self, other):
        return True
print(NoHash.__hash__)
try:
    hash(NoHash())
except TypeError as e:
    print("TypeError:", e)
print(NoHash() == 5, 5 == NoHash())
class Ident:
    pass
i = Ident()
print(i == i, i == Ident(), hash(i) == hash(i))
