# An iterator holds its container until exhausted.
import sys
data = [1, 2, 3]
print(sys.getrefcount(data))
it = iter(data)
print(sys.getrefcount(data))
list(it)
print(sys.getrefcount(data))
g = (x for x in data)
print(sys.getrefcount(data))
del g
print(sys.getrefcount(data))
e = enumerate(data)
z = zip(data, data)
print(sys.getrefcount(data))
del e, z
print(sys.getrefcount(data))
