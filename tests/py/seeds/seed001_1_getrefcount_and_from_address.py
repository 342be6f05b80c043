# Seed 001, example 1: two ways to read the reference count of var1's list.
# sys.getrefcount counts its own argument too (2); c_long.from_address reads ob_refcnt (1).
import sys
import ctypes

var1 = [10, 20]
print(sys.getrefcount(var1))
print(ctypes.c_long.from_address(id(var1)).value)
