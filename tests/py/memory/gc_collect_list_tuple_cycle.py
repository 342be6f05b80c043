# A list <-> tuple cycle: 2 objects.
import gc
gc.collect()
l = []
t = (l,)
l.append(t)
del l, t
print(gc.collect())
outer = []
outer.append((1, 2, [outer]))
del outer
print(gc.collect())
