# sys.getsizeof of ints in 3.11: 28 bytes up to 2**30, then 4 bytes per 30-bit digit (0 is 28 too).
import sys
for v in [0, 1, -1, 255, 2 ** 30 - 1, 2 ** 30, 2 ** 60 - 1, 2 ** 60, 2 ** 90, -(2 ** 90), 10 ** 100]:
    print(v if v < 10 ** 20 else "big", sys.getsizeof(v))
print(sys.getsizeof(True), sys.getsizeof(False))
