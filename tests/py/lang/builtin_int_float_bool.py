# int(), float() and bool() constructors.
print(int(), int(7.9), int(-7.9), int("  12 "), int("-0"), int(True), int(10 ** 20 + 0.0))
print(float(), float(3), float("1e-3"), float(" inf "), float("-nan") != float("-nan"), float(True))
print(bool(), bool(0), bool(0.0), bool(-0.0), bool([[]]), bool(" "))
class Num:
    def __int__(self):
        return 5
    def __float__(self):
        return 2.5
    def __index__(self):
        return 3
n = Num()
print(int(n), float(n), [0, 1, 2, 3][n], bin(n))
try:
    float("abc")
except ValueError as e:
    print("ValueError:", e)
try:
    float([])
except TypeError as e:
    print("TypeError:", e)
print(int("0b11", 0), int("11", base=2), int(" 0x1F ", 16))
print(float("1_000.5"), int(float("3e5")))
