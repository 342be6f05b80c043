# Uncaught NotImplementedError from an abstract-style method.
class Shape:
    def area(self):
        raise NotImplementedError("subclasses must implement area()")
class Sq(Shape):
    def area(self):
        return 4
for s in [Sq(), Shape()]:
    print(type(s).__name__, s.area())
