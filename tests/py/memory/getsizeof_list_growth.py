# A list grown by append over-allocates: capacity (n + n//8 + 6) & ~3.
import sys
l = []
last = sys.getsizeof(l)
print(0, last)
for i in range(1, 30):
    l.append(i)
    size = sys.getsizeof(l)
    if size != last:
        print(i, size)
        last = size
print(sys.getsizeof(list(range(10))), sys.getsizeof([0] * 10))
