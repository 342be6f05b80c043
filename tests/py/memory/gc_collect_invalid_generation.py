# collect() rejects generations outside 0..2.
import gc
for g in [3, -1, 100]:
    try:
        gc.collect(g)
    except ValueError as e:
        print("ValueError:", e)
try:
    gc.collect("2")
except TypeError as e:
    print("TypeError:", e)
print(gc.collect(generation=2), gc.collect(0), gc.collect(1))
