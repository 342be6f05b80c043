# collect(0/1/2) and get_count(): one surviving object trickles down the generations.
import gc
gc.collect()
print(gc.get_count())
keep = [[] for _ in range(3)]
c0 = gc.get_count()[0]
print(c0 >= 1)
gc.collect(0)
print(gc.get_count())
gc.collect(1)
print(gc.get_count())
gc.collect(0)
gc.collect(0)
print(gc.get_count())
gc.collect(2)
print(gc.get_count())
gc.collect()
print(gc.get_count())
