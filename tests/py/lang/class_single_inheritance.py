# Single inheritance: overriding, attribute lookup through the base.
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} says {self.sound}"
    def kind(self):
        return "animal"
class Cat(Animal):
    sound = "meow"
    def kind(self):
        return "cat, an " + super().kind()
class Kitten(Cat):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age
k = Kitten("Tom", 1)
print(k.speak(), k.kind(), k.age)
print(isinstance(k, Animal), issubclass(Kitten, Animal), issubclass(Animal, Kitten))
print([c.__name__ for c in Kitten.__mro__])
print(Kitten.__bases__[0].__name__, Cat.__base__.__name__)
print(Animal("x").speak())
