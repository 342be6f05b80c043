# An instance releases its attributes in insertion order after its own __del__.
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
class Owner:
    def __del__(self):
        print("owner __del__ first")
o = Owner()
o.z = D("z")
o.a = D("a")
o.m = D("m")
del o
print("rebinding an attribute:")
p = Owner()
p.x = D("x1")
p.x = D("x2")
del p
print("done")
