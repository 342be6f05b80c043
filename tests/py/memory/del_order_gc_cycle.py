# Finalizers of an unreachable cycle run during collection, all before any attribute is cleared.
import gc
class N:
    def __init__(self, name):
        self.name = name
        self.other = None
    def __del__(self):
        print("del", self.name, "other is", self.other.name if self.other else None)
gc.collect()
a = N("a")
b = N("b")
a.other = b
b.other = a
del a, b
print("collecting")
print(gc.collect())
print("done")
