# complex: literals, construction, arithmetic with int/float on either side,
# powers, division, repr of signed zeros/inf/nan, hash, equality, errors.
vals = [0j, 1j, -1j, 3 + 4j, -2.5 + 0.5j, 1e300 + 1e300j, complex(0.0, -0.0), complex(-0.0, 0.0),
        complex(-0.0, -0.0), 1.5 - 0j, 2 ** 0.5 * 1j]
for z in vals:
    print(repr(z), str(z), z.real, z.imag, abs(z) if abs(z.real) < 1e200 else "big", bool(z), z == z.conjugate(), -z, +z)
for a in [2 + 3j, -1.5j, 4, 2.5, -3]:
    for b in [1 - 1j, 0.5j, 2, -0.25, 7 + 0j]:
        r = [a + b, a - b, a * b, a / b, b - a, b / a if a != 0 else None]
        print(a, b, r)
for base in [1j, 2 + 1j, -1 + 0j, 0.5 - 2j, -8, -2.0, 1e10j]:
    for e in [2, -2, 3, 0.5, 1j, 0, 100, -1, 2.5 + 1j, 101]:
        try:
            print(base, e, base ** e)
        except (ZeroDivisionError, OverflowError, ValueError) as ex:
            print(base, e, type(ex).__name__, ex)
print((-8) ** (1 / 3), (-1) ** 0.5, (-2.0) ** 1.5, 4 ** 0.5, (-27.0) ** (2 / 3))
for s in ["1+2j", " (3-4J) ", "5", "-j", "+j", "j", "1e3j", "-1.5e-3-2.5e+2j", "inf+nanj", "1_000+2_0j", "(1)", "-0j", "1+j", "2-j"]:
    print(repr(s), complex(s))
for bad in ["", "1+", "j1", "1+2", "(1+2j", "1 + 2j", "1..2j", "--1j", "1jj", "_1j"]:
    try:
        print(complex(bad))
    except ValueError as e:
        print(repr(bad), "ValueError:", e)
print(complex(), complex(2), complex(2.5, -1), complex(1j, 1j), complex(1 + 2j), complex(real=3, imag=4), complex(True, False))
for bad in ["complex('1', 2)", "complex(1, '2')", "complex(None)", "complex([])", "1j < 2j", "1j // 2", "1j % 2", "(1+2j) / 0", "0j ** -1", "int(1j)", "float(2j)", "abs(complex(1e308, 1e308))", "divmod(1j, 2)"]:
    try:
        print(eval(bad))
    except Exception as e:
        print(bad, type(e).__name__ + ":", e)
print(hash(3 + 0j) == hash(3), hash(1.5 + 0j) == hash(1.5), hash(1 + 2j) == hash(complex(1, 2)), hash(2j), hash(-1 + 1j), hash(0j))
print(1j == 1j, 1 + 0j == 1, 1 + 0j == 1.0, 2j != 2, 1 + 0j == True, {1 + 0j: "a"}[1], (2 ** 53 + 1) + 0j == 2 ** 53 + 1)
class C:
    def __complex__(self):
        return 5 - 1j
print(complex(C()), isinstance(1j, complex), type(1j).__name__, complex.__name__, sum([1j, 2, 3.5]), [1j] * 2)
print(f"{3 + 4j}", "%s %r" % (1j, -1j), str(1e20j), repr(complex(1e16, 1e-7)), 1.5j * 2, 3 / 1j)
