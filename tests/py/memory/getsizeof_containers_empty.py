# sys.getsizeof of empty and small containers (3.11, 64-bit).
import sys
print("list", sys.getsizeof([]), sys.getsizeof([1]), sys.getsizeof([1, 2, 3]))
print("tuple", sys.getsizeof(()), sys.getsizeof((1,)), sys.getsizeof((1, 2, 3)))
print("dict", sys.getsizeof({}), sys.getsizeof({"a": 1}))
print("set", sys.getsizeof(set()), sys.getsizeof({1, 2, 3}), sys.getsizeof(frozenset()))
print("range", sys.getsizeof(range(10)), "slice", sys.getsizeof(slice(1)))
print("bytes", sys.getsizeof(b""), sys.getsizeof(b"abc"))
