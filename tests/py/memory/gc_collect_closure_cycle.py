# A closure referring to itself through its cell: function + cell are collected.
import gc
gc.collect()
def make():
    def rec(n):
        return n if n == 0 else rec(n - 1)
    return rec
f = make()
print(f(3))
del f
print(gc.collect())
def make_pair():
    box = []
    def get():
        return box
    box.append(get)
    return get
g = make_pair()
del g
print(gc.collect())
