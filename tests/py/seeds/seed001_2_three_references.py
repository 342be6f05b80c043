# Seed 001, example 2: var2 = var1, var3 = var1 -> three references to the same list.
import ctypes

var1 = [10, 20]
var2 = var1
var3 = var1
print(ctypes.c_long.from_address(id(var1)).value)
