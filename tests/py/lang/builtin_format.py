# format() and __format__.
print(format(3.14159, ".3f"), format(42, "08b"), format(1234567.891, ",.2f"), format("x", ">3"))
print(format(42), format(None), format([1]), repr(format(0.1)))
print(format(255, "#X"), format(-3, "+"), format(0.000123, ".2e"), format(1 / 3, ".5g"))
class Temp:
    def __init__(self, c):
        self.c = c
    def __format__(self, spec):
        if spec == "F":
            return f"{self.c * 9 / 5 + 32:.1f}F"
        return f"{self.c:.1f}C"
t = Temp(100)
print(format(t, "F"), format(t), f"{t:F} and {t}", "{:F}".format(t))
try:
    format(3, "s")
except ValueError as e:
    print("ValueError:", e)
try:
    format(object(), "x")
except TypeError as e:
    print("TypeError:", e)
