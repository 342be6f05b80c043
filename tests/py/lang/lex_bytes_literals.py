# Bytes literals.
b = b"abc"
print(b, type(b).__name__, len(b))
print(b'\x00\xff', B"x", b'''triple''')
print(list(b"AZ"), b[0], b[-1])
print(b"a\nb", repr(b"\t"))
print(b"abc" + b"def", b"ab" * 3)
print(b"" == bytes(), bytes(3), bytes([65, 66]))
print(b"hello"[1:4])
