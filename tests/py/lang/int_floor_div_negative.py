# Floor division rounds toward negative infinity.
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (1, -1), (-1, 3)]:
    print(a, "//", b, "=", a // b)
print(-(7 // 2), (-7) // 2, -7 // 2)
print(10**20 // 3, -(10**20) // 3)
print(-10**20 // 7)
print(2**100 // -2**50)
x = -17
x //= 5
print(x)
