# proxy forwards attribute access and operations until the referent dies.
import weakref
class Box:
    def __init__(self):
        self.items = [1, 2]
    def total(self):
        return sum(self.items)
    def __len__(self):
        return len(self.items)
b = Box()
p = weakref.proxy(b, lambda ref: print("proxy callback"))
print(p.items, p.total(), len(p), type(p).__name__)
p.extra = "set via proxy"
print(b.extra)
del b
for op in [lambda: p.items, lambda: len(p), lambda: p.total()]:
    try:
        op()
    except ReferenceError as e:
        print("ReferenceError:", e)
print(type(p).__name__)
