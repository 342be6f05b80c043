# A fresh list bound to one module-level name: getrefcount reports 2 (name + argument).
import sys
v = [10, 20]
print(sys.getrefcount(v))
d = {"a": 1}
print(sys.getrefcount(d))
class C:
    pass
c = C()
print(sys.getrefcount(c))
s = "not interned " + str(12345)
print(sys.getrefcount(s))
big = int("1" + "0" * 30)
print(sys.getrefcount(big))
f = float("4.5")
print(sys.getrefcount(f))
