# In 3.11 interned strings are mortal: the interned dict's references are not counted.
import sys
s = sys.intern("".join(["some", "_runtime", "_name"]))
print(sys.getrefcount(s))
t = s
print(sys.getrefcount(s))
n = "".join(["not", " interned"])
print(sys.getrefcount(n))
