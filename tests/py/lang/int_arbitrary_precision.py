# Integers grow without bound.
f = 1
for i in range(1, 31):
    f *= i
print(f)
print(2 ** 200)
print(2 ** 64 - 1, -(2 ** 63))
a = 123456789123456789123456789
b = 987654321987654321
print(a * b, a // b, a % b)
print(a - a, a + (-a))
print(-a * -b == a * b)
print(len(str(3 ** 1000)))
print(int("9" * 40) + 1)
print(abs(-10 ** 30), hash(2 ** 61 - 1), hash(2 ** 61))
print((10 ** 25) == 10 ** 25, 10 ** 25 < 10 ** 26)
print(bin(2 ** 70)[:10], hex(2 ** 70))
