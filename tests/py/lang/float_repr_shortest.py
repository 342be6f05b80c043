# repr(float) is the shortest string that round-trips.
for v in [0.1, 0.2, 0.3, 1/3, 2/3, 1e22, 1e23, 1.5e-7, 123456.789, 0.1 + 0.7,
          100.0, 1e16, 9007199254740993.0, 2.0 ** 0.5, 1 / 7]:
    print(repr(v), float(repr(v)) == v)
print(str(1.0), str(1e100), str(-1e-100))
print(0.1 * 3, 0.3 / 0.1)
print(round(2.675, 2), 2.675)
print(3.0, 3.10, 3.14000)
print(float(10 ** 20), float(2 ** 53 + 1))
