# Complex numbers: a negative base to a fractional power, imaginary literals,
# arithmetic mixed with int and float, repr, abs, equality and hash.
r = (-8) ** (1 / 3)
print(type(r).__name__, r == (-8) ** (1 / 3), round(r.real, 6), round(r.imag, 6))
z = 3 + 4j
print(z, abs(z), z.conjugate(), z * 1j, z / 2, z - 3, -z, 1j ** 2, bool(0j))
print(complex(1, -0.0), complex("1.5-2j"), 2j == complex(0, 2), hash(3 + 0j) == hash(3))
try:
    z < 1j
except TypeError as e:
    print("TypeError:", e)
