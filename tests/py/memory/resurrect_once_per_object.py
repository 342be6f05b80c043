# __del__ runs at most once per object even when it resurrects repeatedly.
import gc
keep = []
class Once:
    calls = 0
    def __del__(self):
        Once.calls += 1
        keep.append(self)
gc.collect()
o = Once()
o.me = o
del o
gc.collect()
print(Once.calls, len(keep))
keep.clear()
gc.collect()
print(Once.calls, len(keep))
x = Once()
del x
print(Once.calls, len(keep))
keep.clear()
print(Once.calls, len(keep))
