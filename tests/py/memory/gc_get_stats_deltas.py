# get_stats: collect(0) bumps only generation 0's count; collected sums are exact.
import gc
def snap():
    return [dict(s) for s in gc.get_stats()]
print(len(gc.get_stats()), sorted(gc.get_stats()[0]))
gc.collect()
a = snap()
gc.collect(0)
b = snap()
print([b[i]["collections"] - a[i]["collections"] for i in range(3)])
l = []
l.append(l)
del l
gc.collect(2)
c = snap()
print([c[i]["collections"] - b[i]["collections"] for i in range(3)])
print([c[i]["collected"] - b[i]["collected"] for i in range(3)])
print([c[i]["uncollectable"] - b[i]["uncollectable"] for i in range(3)])
gc.collect(1)
d = snap()
print([d[i]["collections"] - c[i]["collections"] for i in range(3)])
