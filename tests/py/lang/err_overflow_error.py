# OverflowError: float conversion of huge ints, float power; uncaught at the end.
try:
    float(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)
try:
    2.0 ** 5000
except OverflowError as e:
    print("OverflowError:", e)
print(10 ** 400 > 1e308)
int(float("inf"))
