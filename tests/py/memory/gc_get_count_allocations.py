# count[0] rises with container allocations and falls when (non-free-listed) ones are freed.
import gc
class Obj:
    pass
gc.disable()
gc.collect()
base = gc.get_count()[0]
objs = [Obj() for _ in range(50)]
grown = gc.get_count()[0] - base
print(50 <= grown <= 55)
del objs
after = gc.get_count()[0] - base
print(after <= 5)
before_floats = gc.get_count()[0]
x = 0.0
for i in range(100):
    x = x + 1.5
print(gc.get_count()[0] - before_floats <= 1)
gc.enable()
