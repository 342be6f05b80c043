# int() of a string whose digits end with an underscore once freed an
# uninitialised GMP value (a crash); each of these is a ValueError.
for text in ["12_", "1_", "0x_", "0b1_", "1__2", "_1", "9" * 40 + "_", "  7_ "]:
    for base in (0, 10, 16):
        try:
            print(repr(text), base, int(text, base))
        except ValueError as e:
            print(repr(text), base, "ValueError:", e)
print(int("1_000_000"), int("0x_ff", 16), int("9_" * 20 + "9"))
