# set_threshold(0) disables automatic collection even though gc.isenabled() stays True.
import gc
runs = []
gc.callbacks.append(lambda p, i: runs.append(p))
gc.set_threshold(0)
junk = [[i] for i in range(2000)]
print(gc.isenabled(), len(runs))
gc.set_threshold(50)
more = [[i] for i in range(200)]
print(len(runs) > 0)
gc.callbacks.clear()
gc.set_threshold(700)
