# Allocating a large block raises current traced memory; freeing it lowers current but not peak.
import tracemalloc
tracemalloc.start()
base, _ = tracemalloc.get_traced_memory()
block = [0] * 100000
cur, peak = tracemalloc.get_traced_memory()
print(cur - base >= 800000, peak >= cur)
del block
cur2, peak2 = tracemalloc.get_traced_memory()
print(cur2 < cur, peak2 >= cur, peak2 == peak or peak2 > peak)
tracemalloc.reset_peak()
cur3, peak3 = tracemalloc.get_traced_memory()
print(peak3 < peak)
tracemalloc.stop()
