# With threshold0 = 10, allocating containers triggers gen-0 collections seen via gc.callbacks.
import gc
gc.collect()
events = []
def cb(phase, info):
    events.append((phase, info["generation"]))
gc.set_threshold(10, 1000, 1000)
gc.callbacks.append(cb)
keep = []
for i in range(30):
    keep.append([i])
gc.callbacks.remove(cb)
gc.set_threshold(700, 10, 10)
starts = [e for e in events if e[0] == "start"]
stops = [e for e in events if e[0] == "stop"]
print(len(starts) == len(stops), len(starts) >= 2, set(g for _, g in events))
print(events[:2])
