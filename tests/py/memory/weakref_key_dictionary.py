# WeakKeyDictionary entries vanish when keys die.
import weakref
class K:
    def __init__(self, name):
        self.name = name
d = weakref.WeakKeyDictionary()
k1, k2 = K("k1"), K("k2")
d[k1] = "one"
d[k2] = "two"
print(len(d), d[k1], k2 in d)
del k1
print(len(d), [k.name for k in d.keys()])
try:
    d[5] = "int key"
except TypeError as e:
    print("TypeError:", e)
del k2
print(len(d), dict(d))
