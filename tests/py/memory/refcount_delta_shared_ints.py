# Small ints are shared: only deltas are meaningful.
import sys
before = sys.getrefcount(10)
x = 10
y = 10
l = [10, 10, 10]
print(sys.getrefcount(10) - before)
del x
l.pop()
print(sys.getrefcount(10) - before)
n = sys.getrefcount(None)
z = [None] * 5
print(sys.getrefcount(None) - n)
del z
print(sys.getrefcount(None) - n)
print(sys.getrefcount(10) > 1000, sys.getrefcount(()) > 1000)
