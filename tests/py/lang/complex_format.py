# format() of complex numbers: default type like str(), precision, e/f/g/n,
# sign options, alignment and width on the whole, and the refused options.
zs = [3 + 4j, -1.5 - 0.25j, 2j, -2j, complex(-0.0, 1), 1e20 + 1e-5j, 0j, complex(1, -0.0)]
specs = ["", ">20", "<20", "^20", "*^24", ".2", ".3f", "+.2f", " .1e", ".2g", "g", "e", "f", "F", "+", " ", "10.2f", "n", ".0f", "#.0f", ",.2f", "_", "-.2f"]
for z in zs:
    print(" | ".join(repr(format(z, s)) for s in specs))
    print(f"{z}", f"{z!r:>25}", f"{z:.1f}", "{:^30.4e}".format(z))
for bad in ["010", "=10", "d", "s", "%", "x"]:
    try:
        print(format(3 + 4j, bad))
    except ValueError as e:
        print(repr(bad), "ValueError:", e)
for e in ['pow(1j, 2, 3)', 'pow(2, 1j, 3)', 'pow(2.0, 1j, 3)', 'pow(2, 3, 1j)', 'pow(2, 3, 5)']:
    try:
        print(e, eval(e))
    except Exception as x:
        print(e, type(x).__name__, x)
