# Containers hold strong references: list items, tuple items, dict keys and values, set members.
import sys
x = ["payload"]
k = ("key", str(1))
base = sys.getrefcount(x)
l = [x, x, x]
print(sys.getrefcount(x) - base)
t = (x,)
print(sys.getrefcount(x) - base)
d = {"a": x, "b": x}
print(sys.getrefcount(x) - base)
kb = sys.getrefcount(k)
d[k] = x
print(sys.getrefcount(k) - kb, sys.getrefcount(x) - base)
s = {k}
print(sys.getrefcount(k) - kb)
l.clear()
print(sys.getrefcount(x) - base)
del t, d, s
print(sys.getrefcount(x) - base, sys.getrefcount(k) - kb)
