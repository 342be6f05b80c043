# Each instance holds a reference to its class.
import sys
class C:
    pass
base = sys.getrefcount(C)
objs = [C() for _ in range(10)]
print(sys.getrefcount(C) - base)
objs.pop()
print(sys.getrefcount(C) - base)
del objs
print(sys.getrefcount(C) - base)
