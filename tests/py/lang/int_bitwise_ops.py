# Bitwise operators on ints, including negatives.
a, b = 0b1100, 0b1010
print(a & b, a | b, a ^ b, ~a)
print(-12 & 10, -12 | 10, -12 ^ 10, ~-1, ~0)
print(1 << 10, 1024 >> 3, -16 >> 2, -1 >> 100)
print(1 << 100)
print((1 << 100) >> 98)
print(0xF0 & 0x3C | 0x01)
print(5 & 3 == 1)
x = 0b1111
x &= 0b0101
x |= 0b1000
x ^= 0b0001
x <<= 2
x >>= 1
print(x, bin(x))
print(True & False, True | False, True ^ True, type(True & True).__name__)
