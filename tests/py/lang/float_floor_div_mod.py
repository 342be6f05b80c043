# Float floor division and modulo.
for a, b in [(7.5, 2), (-7.5, 2), (7.5, -2), (-7.5, -2), (1.0, 0.1), (5, 2.5)]:
    print(a, b, a // b, a % b, divmod(a, b))
print(7 / 2, -7 / 2, 6 / 3, type(6 / 3).__name__)
print(1 / 3 * 3, 10 / 4)
print(2 ** 0.5 * 2 ** 0.5)
