# get_objects(generation=...) membership after collections.
import gc
def where(o):
    return [g for g in range(3) if any(x is o for x in gc.get_objects(generation=g))]
gc.collect()
probe = [1, 2]
print(where(probe))
gc.collect(0)
print(where(probe))
gc.collect(1)
print(where(probe))
gc.collect(2)
print(where(probe))
fresh = []
print(where(fresh), any(x is fresh for x in gc.get_objects()))
five = 5
print(any(x is five for x in gc.get_objects()))
s = "string"
print(where(s))
