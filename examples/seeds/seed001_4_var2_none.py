# Seed 001, example 4: setting var2 to None as well drops the count to 1.
import ctypes

var1 = [10, 20]
var2 = var1
var3 = var1
var3 = None
var2 = None
print(ctypes.c_long.from_address(id(var1)).value)
