# Live refs compare and hash like their referents; dead refs compare by identity.
import weakref
class K:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return isinstance(o, K) and self.v == o.v
    def __hash__(self):
        return hash(self.v)
a, b = K(1), K(1)
ra = weakref.ref(a)
rb = weakref.ref(b, lambda r: None)
print(ra == rb, ra is rb, hash(ra) == hash(a))
ha = hash(ra)
del a, b
print(ra == rb, ra == ra, hash(ra) == ha)
c = K(2)
rc = weakref.ref(c)
del c
try:
    hash(rc)
except TypeError as e:
    print("TypeError:", e)
