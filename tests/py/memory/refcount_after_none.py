# Binding a name to None releases the previous object's reference.
import sys
var1 = [10, 20]
var2 = var1
var3 = var1
print(sys.getrefcount(var1))
var3 = None
print(sys.getrefcount(var1))
var2 = None
print(sys.getrefcount(var1))
print(var2 is None, var3 is None)
