# Integer literals: decimal, underscores, hex, octal, binary, big values.
print(0, 7, 1_000_000, 0_0)
print(0xff, 0XFF, 0x_dead_beef)
print(0o17, 0O777, 0o_1_2)
print(0b1010, 0B1111_0000)
print(123456789012345678901234567890)
print(0xFFFFFFFFFFFFFFFFFFFFFFFF)
print(-0x10, -0o10, -0b10)
print(type(0x10).__name__)
print(1_0 + 0x1_0 + 0o1_0 + 0b1_0)
print(000)
x = 10_000_000_000_000_000_000
print(x, x + 1)
