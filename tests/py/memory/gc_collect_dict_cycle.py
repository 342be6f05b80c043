# Dict cycles: d[1] = d gives 1; two dicts referencing each other give 2.
import gc
gc.collect()
d = {}
d[1] = d
del d
print(gc.collect())
x = {}
y = {"x": x}
x["y"] = y
del x, y
print(gc.collect())
k = {}
k["self"] = [k]
del k
print(gc.collect())
