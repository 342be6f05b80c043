# Module objects: __name__, attribute access, dir, setting attributes.
import math
import sys
print(type(math).__name__, math.__name__, sys.__name__)
print(hasattr(math, "pi"), hasattr(math, "nope"))
try:
    math.nope
except AttributeError as e:
    print("AttributeError:", e)
math.custom_attr = 123
import math as again
print(again.custom_attr)
print(all(n in dir(math) for n in ["sqrt", "floor", "pi"]))
this = sys.modules[__name__]
print(this.__name__, this.print_me if hasattr(this, "print_me") else "no print_me")
print_me = "now defined"
print(this.print_me)
print(type(__builtins__).__name__ in ("module", "dict"))
