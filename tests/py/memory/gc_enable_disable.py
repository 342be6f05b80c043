# disable() stops automatic collection but collect() still works.
import gc
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
runs = []
gc.callbacks.append(lambda phase, info: runs.append(phase))
gc.set_threshold(5)
junk = [[i] for i in range(100)]
print("automatic runs while disabled:", len(runs))
l = []
l.append(l)
del l
print(gc.collect(), runs)
gc.enable()
print(gc.isenabled())
runs.clear()
more = [[i] for i in range(100)]
print("automatic runs when enabled:", len(runs) > 0)
gc.callbacks.clear()
gc.set_threshold(700)
