# del name drops the reference immediately.
import sys
obj = [1, 2]
a = obj
b = obj
print(sys.getrefcount(obj))
del a
print(sys.getrefcount(obj))
del b
print(sys.getrefcount(obj))
l = [obj, obj]
print(sys.getrefcount(obj))
del l[0]
print(sys.getrefcount(obj))
del l
print(sys.getrefcount(obj))
