# ctypes.c_long.from_address(id(x)).value reads ob_refcnt: getrefcount - 1 at module level.
import ctypes
import sys
var1 = [10, 20]
print(sys.getrefcount(var1), ctypes.c_long.from_address(id(var1)).value)
var2 = var1
var3 = var1
print(ctypes.c_long.from_address(id(var1)).value)
var3 = None
print(ctypes.c_long.from_address(id(var1)).value)
var2 = None
print(ctypes.c_long.from_address(id(var1)).value)
def in_function(x):
    return ctypes.c_long.from_address(id(x)).value
print(in_function(var1))
