# sys.getsizeof of ints: the relations that hold in every layout. An int's size
# never shrinks as its magnitude grows, a negative int is as large as its
# positive, bool is the size of an int; huge ints grow with their digits.
# (The figures themselves are each implementation's own: tally's are checked
# against docs/sizes.md by tests/lib/test_lang_sizes.c.)
import sys
vals = [0, 1, 255, 2 ** 30 - 1, 2 ** 30, 2 ** 60 - 1, 2 ** 60, 2 ** 90, 10 ** 100, 10 ** 1000]
sizes = [sys.getsizeof(v) for v in vals]
print("non-decreasing:", all(a <= b for a, b in zip(sizes, sizes[1:])))
print("small ints alike:", len(set(sizes[:4])) == 1)
print("10**1000 larger than 10**100:", sizes[-1] > sizes[-2])
print("-x as large as x:", all(sys.getsizeof(-v) == sys.getsizeof(v) for v in vals[1:]))
print("bool is an int:", sys.getsizeof(True) == sys.getsizeof(False) == sys.getsizeof(1))
print("at least a header:", min(sizes) >= sys.getsizeof(object()))
print(sys.getsizeof(2 ** 5000) - sys.getsizeof(2 ** 4000) > 100)
