# tracemalloc: start/stop/is_tracing and get_traced_memory relations.
import tracemalloc
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
tracemalloc.start()
print(tracemalloc.is_tracing())
cur, peak = tracemalloc.get_traced_memory()
print(cur <= peak)
tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
