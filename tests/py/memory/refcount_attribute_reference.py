# Instance attributes and class attributes hold references.
import sys
class Holder:
    pass
payload = [1, 2, 3]
h = Holder()
print(sys.getrefcount(payload))
h.p = payload
print(sys.getrefcount(payload))
h.q = payload
Holder.shared = payload
print(sys.getrefcount(payload))
del h.p
print(sys.getrefcount(payload))
del h
print(sys.getrefcount(payload))
del Holder.shared
print(sys.getrefcount(payload))
