# gc.callbacks receive ("start", info) then ("stop", info) with generation/collected/uncollectable.
import gc
calls = []
def cb1(phase, info):
    calls.append(("cb1", phase, dict(info)))
def cb2(phase, info):
    calls.append(("cb2", phase, info["collected"]))
gc.collect()
gc.callbacks.append(cb1)
gc.callbacks.append(cb2)
a = []
a.append(a)
del a
print(gc.collect())
for c in calls:
    print(c)
calls.clear()
gc.collect(1)
print([(c[0], c[1]) for c in calls], calls[0][2]["generation"])
gc.callbacks.remove(cb1)
gc.callbacks.remove(cb2)
calls.clear()
gc.collect()
print(calls)
