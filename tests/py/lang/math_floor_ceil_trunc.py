# floor, ceil, trunc return ints; behaviour on negatives and big floats.
import math
for v in [2.5, -2.5, 3.0, -0.1, 1e20, 7]:
    print(v, math.floor(v), math.ceil(v), math.trunc(v), int(v), round(v))
print(type(math.floor(1.5)).__name__, math.floor(-0.0))
try:
    math.floor(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
class Custom:
    def __floor__(self):
        return "custom floor"
print(math.floor(Custom()))
