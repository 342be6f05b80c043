# Modulo takes the sign of the divisor.
for a, b in [(7, 3), (-7, 3), (7, -3), (-7, -3), (0, 3), (6, 3), (-6, 3)]:
    q, r = a // b, a % b
    print(a, b, q, r, q * b + r == a)
print(-1 % 10**30)
print(10**30 % -7)
print(divmod(-13, 4), divmod(13, -4))
print(-7.5 % 2, 7.5 % -2, -0.0 % 5)
