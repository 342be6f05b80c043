# __iadd__ and friends; fallback to __add__ when missing.
class Bag:
    def __init__(self):
        self.items = []
    def __iadd__(self, x):
        print("iadd", x)
        self.items.append(x)
        return self
    def __add__(self, x):
        print("add", x)
        n = Bag()
        n.items = self.items + [x]
        return n
b = Bag()
orig = b
b += 1
b += 2
print(b is orig, b.items)
c = b + 3
print(c is b, c.items, b.items)
class OnlyAdd:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return OnlyAdd(self.v + o)
x = OnlyAdd(1)
y = x
x += 10
print(x is y, x.v, y.v)
class Ret:
    def __imul__(self, k):
        return "replaced"
r = Ret()
r *= 3
print(r)
