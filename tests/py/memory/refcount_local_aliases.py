# Locals inside a function: each alias adds one; del and rebinding remove it.
import sys
def f():
    obj = {"k": "v"}
    print("one local:", sys.getrefcount(obj))
    a = obj
    b = obj
    print("three locals:", sys.getrefcount(obj))
    del a
    print("after del:", sys.getrefcount(obj))
    b = None
    print("after = None:", sys.getrefcount(obj))
    return obj
r = f()
print("returned and bound:", sys.getrefcount(r))
