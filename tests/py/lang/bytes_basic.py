# bytes: indexing gives ints, methods, comparisons, hex.
b = b"Hello, World"
print(b[0], b[-1], b[:5], b[::-1])
print(b.upper(), b.lower(), b.split(b", "), b.replace(b"l", b"L"))
print(b.find(b"World"), b.count(b"l"), b.startswith(b"He"), b.strip(b"Hd"))
print(b"abc" < b"abd", b"a" == b"a", b"a" == "a")
print(bytes([0, 255]).hex(), bytes.fromhex("de ad be ef"), list(bytes(range(3))))
print(len(b), b"x" in b"xyz", 120 in b"xyz")
print(b"-".join([b"a", b"b"]), b"%d-%s" % (5, b"z"))
try:
    bytes([256])
except ValueError as e:
    print("ValueError:", e)
try:
    b"a" + "b"
except TypeError as e:
    print("TypeError:", e)
print(repr(b"\x00\n\\'"), b'"')
