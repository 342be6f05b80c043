# gc.collect() called from a __del__ that runs during a collection returns 0.
import gc
results = []
class C:
    def __del__(self):
        results.append(gc.collect())
gc.collect()
c = C()
c.me = c
del c
print(gc.collect(), results)
d = C()
del d
print(results)
