# Without a collection, a dropped cycle's __del__ does not run; collect() runs it.
import gc
class N:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
gc.disable()
gc.collect()
a = N("cyclic")
a.me = a
del a
print("dropped, nothing printed yet")
b = N("acyclic")
del b
print("collecting")
print(gc.collect())
gc.enable()
