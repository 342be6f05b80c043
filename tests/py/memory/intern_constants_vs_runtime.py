# Identifier-like constants are interned by the compiler; runtime-built strings are not.
import sys
x = "name_like"
y = "name_like"
print(x is y)
built = "name" + "_like".upper().lower()
print(built == x, built is x, sys.intern(built) is x)
s1 = "has space"
s2 = "has" + " space".upper().lower()
print(s1 == s2, s1 is s2)
e1 = ""
e2 = "abc"[:0]
print(e1 is e2)
src = "abc"
c1 = src[1]
c2 = chr(98)
lit = "b"
print(c1 is c2, c1 is src[1:2], c2 is lit)
def f():
    return "name_like"
print(f() is x)
class K:
    name_like = 1
print(list(vars(K))[1] is x if list(vars(K))[1] == "name_like" else "order")
