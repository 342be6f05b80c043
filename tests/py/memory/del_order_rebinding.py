# Rebinding, = None and del run __del__ before the next statement.
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
x = D("first")
print("rebind")
x = D("second")
print("set None")
x = None
print("del name")
y = D("third")
del y
print("swap")
a, b = D("A"), D("B")
a, b = b, a
print("overwrite both")
a = b = None
print("augmented on list element")
l = [D("elem")]
l[0] = D("elem2")
print("done")
