# On refcount death all refs are cleared first, then callbacks run newest first.
import weakref
class C:
    pass
c = C()
refs = []
def make_cb(name):
    def cb(ref):
        print(name, "sees", [r() for r in refs])
    return cb
for name in ["first", "second", "third"]:
    refs.append(weakref.ref(c, make_cb(name)))
del c
print("done")
