# Class-level introspection: __dict__ keys, __name__, __doc__, type(), class body scope.
class Shape:
    """A shape."""
    sides = 0
    names = [sides]
    def area(self):
        return 0
class Tri(Shape):
    sides = 3
print(Shape.__doc__, Tri.__doc__, Tri.sides, Shape.names)
print([k for k in Shape.__dict__ if not k.startswith("__")])
print(type(Shape), type(Shape()).__name__, Shape.__class__ is type)
Tri.area = lambda self: "replaced"
print(Tri().area(), Shape().area())
def make(n):
    class Local:
        value = n
    return Local
A, B = make(1), make(2)
print(A.value, B.value, A is B, A.__qualname__)
