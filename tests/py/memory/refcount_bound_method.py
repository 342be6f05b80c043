# A bound method holds a reference to its instance; calling a method directly does not leave one.
import sys
class C:
    def m(self):
        return sys.getrefcount(self)
c = C()
print(sys.getrefcount(c))
bm = c.m
print(sys.getrefcount(c))
del bm
print(sys.getrefcount(c))
print(c.m())
print(sys.getrefcount(c))
print(sys.getrefcount(C.m) - sys.getrefcount(C.m))
