# is_finalized: False before __del__; True after a GC-path finalizer (resurrected object).
import gc
saved = []
class R:
    def __del__(self):
        print("__del__, is_finalized inside:", gc.is_finalized(self))
        saved.append(self)
print(gc.is_finalized(3), gc.is_finalized(object()), gc.is_finalized(R()))
saved.clear()
r = R()
r.me = r
del r
print(gc.collect())
print(len(saved), gc.is_finalized(saved[0]))
x = R()
del x
print(gc.is_finalized(saved[-1]))
