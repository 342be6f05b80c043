# Class attributes vs instance attributes, methods, __init__.
class Dog:
    kind = "canine"
    tricks = []
    def __init__(self, name):
        self.name = name
    def add_trick(self, t):
        self.tricks.append(t)
    def describe(self):
        return f"{self.name} is a {self.kind}"
a = Dog("Rex")
b = Dog("Fido")
a.add_trick("roll")
b.add_trick("sit")
print(a.tricks is b.tricks, Dog.tricks)
a.kind = "wolf"
print(a.describe(), b.describe(), Dog.kind)
print(Dog.__name__, Dog.__qualname__, Dog.__module__)
print(type(a) is Dog, type(a).__name__, a.__class__.__name__)
print(Dog.describe(b))
print(sorted(k for k in vars(a)))
del a.kind
print(a.kind)
print(repr(Dog))
class Empty:
    pass
print(Empty.__bases__, Empty.__mro__)
