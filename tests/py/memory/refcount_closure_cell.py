# A closure cell holds one reference regardless of how many inner functions share it.
import sys
def outer():
    obj = [42]
    def a():
        return obj
    def b():
        return obj
    return a, b, obj
fa, fb, o = outer()
print(sys.getrefcount(o))
print(fa.__closure__[0] is fb.__closure__[0], fa() is o)
del fa
print(sys.getrefcount(o))
del fb
print(sys.getrefcount(o))
