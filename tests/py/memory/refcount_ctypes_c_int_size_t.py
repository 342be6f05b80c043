# c_int (low 32 bits) and c_size_t read the same refcount word on 64-bit little-endian.
import ctypes
import sys
obj = {"x": [1]}
addr = id(obj)
a = ctypes.c_long.from_address(addr).value
b = ctypes.c_int.from_address(addr).value
c = ctypes.c_size_t.from_address(addr).value
print(a, b, c, a == b == c)
alias = obj
print(ctypes.c_int.from_address(addr).value - b, ctypes.c_size_t.from_address(addr).value - c)
print(ctypes.sizeof(ctypes.c_long), ctypes.sizeof(ctypes.c_int), ctypes.sizeof(ctypes.c_size_t))
