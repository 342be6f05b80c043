# Each alias adds one reference; rebinding an alias removes it.
import sys
a = [1, 2, 3]
print(sys.getrefcount(a))
b = a
print(sys.getrefcount(a))
c = a
d = b
print(sys.getrefcount(a))
c = None
print(sys.getrefcount(a))
del d
print(sys.getrefcount(a))
b = [0]
print(sys.getrefcount(a), sys.getrefcount(b))
