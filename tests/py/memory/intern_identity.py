# sys.intern returns the canonical string object.
import sys
a = "".join(["hello", " ", "world"])
b = "".join(["hello", " ", "world"])
print(a == b, a is b)
ia = sys.intern(a)
ib = sys.intern(b)
IDENT = "identifier_like"
print(ia is ib, ia is a, ib is b)
print(sys.intern("identifier_like") is IDENT)
c = "".join(["identifier", "_like"])
print(c is IDENT, sys.intern(c) is IDENT)
try:
    sys.intern(5)
except TypeError as e:
    print("TypeError:", e)
class S(str):
    pass
try:
    sys.intern(S("x"))
except TypeError as e:
    print("TypeError:", e)
