# WeakSet drops members when they die.
import weakref
class M:
    def __init__(self, n):
        self.n = n
ms = [M(i) for i in range(4)]
s = weakref.WeakSet(ms)
print(len(s), ms[0] in s)
del ms[1]
print(len(s), sorted(m.n for m in s))
ms.clear()
print(len(s), list(s))
extra = M(9)
s.add(extra)
print(len(s))
try:
    s.add(1)
except TypeError as e:
    print("TypeError:", e)
