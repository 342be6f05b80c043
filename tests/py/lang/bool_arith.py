# bool is a subclass of int.
print(True + True, True * 10, False - 1, True / 2, True // 1)
print(isinstance(True, int), issubclass(bool, int), type(True + 1).__name__)
print(bool(0), bool(3), bool(""), bool("0"), bool([]), bool(None), bool(0.0), bool(-1))
print(str(True), repr(False), int(True), float(False))
print(sum([True, True, False]), [1, 2][True])
print(True == 1, False == 0, hash(True) == hash(1), {True: "a", 1: "b"})
print(True and 5, False or "x", not True)
print(True & 3, True | 2, ~True)
