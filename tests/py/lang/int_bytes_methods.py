# int.to_bytes / int.from_bytes (orders, signedness, overflow errors, subclasses), bit_count, as_integer_ratio.
for v, n, o, s in [(0, 1, "big", False), (255, 1, "big", False), (256, 2, "little", False), (-1, 1, "big", True),
                   (-128, 1, "big", True), (127, 1, "little", True), (2**64 - 1, 8, "big", False),
                   (-(2**63), 8, "little", True), (2**100, 13, "big", False), (-2**100, 13, "big", True), (0, 0, "big", False)]:
    b = v.to_bytes(n, o, signed=s)
    print(v, b, int.from_bytes(b, o, signed=s) == v)
for args in [(256, 1, "big", False), (-1, 1, "big", False), (128, 1, "big", True), (-129, 1, "big", True), (1, 0, "big", False), (5, -1, "big", False), (5, 1, "middle", False)]:
    try:
        args[0].to_bytes(args[1], args[2], signed=args[3])
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)
print((5).to_bytes(), (1024).to_bytes(2), int.from_bytes(b"\x01\x00"), int.from_bytes([1, 2], "little"), int.from_bytes(b"", "big"))
print(int.from_bytes(b"\xff\xff", "big", signed=True), int.from_bytes(bytearray(b"\x80") if False else b"\x80", "little", signed=True))
class I(int): pass
x = I.from_bytes(b"\x07", "big"); print(type(x).__name__, x)
print((255).bit_count(), (-7).bit_count(), (2**100 - 1).bit_count(), (10).as_integer_ratio(), True.as_integer_ratio(), (7).numerator, (7).denominator, (7).imag)
try: (1).to_bytes(1, byteorder=3)
except TypeError as e: print("TypeError", e)
