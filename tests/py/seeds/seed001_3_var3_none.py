# Seed 001, example 3: setting var3 to None drops the count to 2.
import ctypes

var1 = [10, 20]
var2 = var1
var3 = var1
var3 = None
print(ctypes.c_long.from_address(id(var1)).value)
