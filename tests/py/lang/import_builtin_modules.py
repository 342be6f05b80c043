# Importing built-in modules in all forms.
import sys
import math as m
from math import sqrt, pi as PI
from time import *
import gc, random
print(type(sys).__name__, sys.__name__, m.__name__)
print(sqrt(16), round(PI, 5))
print(m is sys.modules["math"], "math" in sys.modules)
import math
print(math is m)
print(callable(sleep), gc.isenabled())
def local_import():
    import random as r
    return r is random
print(local_import())
print(__name__)
