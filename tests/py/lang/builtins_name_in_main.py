# __builtins__ is the builtins module in __main__ and its dict in an imported
# module (CPython's convention); either way the names resolve the same.
import sys
sys.path.insert(0, "modules")
import builtins
print(type(__builtins__).__name__, __builtins__ is builtins, __builtins__.len is len)
print("len" in dir(__builtins__), "print" in dir(builtins), "__import__" in vars(builtins))
import mod_builtins_view
print(mod_builtins_view.KIND)
print(builtins.abs(-3), builtins.__name__)
