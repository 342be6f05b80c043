# Inside a function the parameter holds one extra reference (3.11: one per call).
import sys
def count(x):
    return sys.getrefcount(x)
def count_nested(x):
    return count(x)
v = [1]
print(sys.getrefcount(v))
print(count(v))
print(count_nested(v))
print(count([2]))
def with_local(x):
    y = x
    z = x
    return sys.getrefcount(x)
print(with_local(v))
print(sys.getrefcount(v))
