# Rebinding a name moves the reference from the old object to the new one.
import sys
a = [1]
b = [2]
x = a
print(sys.getrefcount(a), sys.getrefcount(b))
x = b
print(sys.getrefcount(a), sys.getrefcount(b))
x = a
x = a
print(sys.getrefcount(a), sys.getrefcount(b))
a, b = b, a
print(sys.getrefcount(a), sys.getrefcount(b))
