# int() parsing and str()/repr() of ints.
print(int("42"), int("  -17  "), int("+5"), int("1_000"))
print(int("ff", 16), int("0xff", 16), int("0xff", 0), int("0o17", 0), int("0b101", 0))
print(int("z", 36), int("777", 8), int("101", 2))
print(int(3.99), int(-3.99), int(True), int())
print(str(-0), repr(12345678901234567890))
for bad in ["", "1.5", "abc", "0x10", "1__0"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    int("12", 1)
except ValueError as e:
    print("ValueError:", e)
try:
    int(None)
except TypeError as e:
    print("TypeError:", e)
print(hex(255), oct(8), bin(5), hex(-255))
