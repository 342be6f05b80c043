# A list that contains itself is found by the collector: exactly 1 object.
import gc
gc.collect()
l = []
l.append(l)
del l
print(gc.collect())
print(gc.collect())
a = []
b = [a]
a.append(b)
del a, b
print(gc.collect())
