# encode/decode between str and bytes.
s = "héllo €"
b = s.encode()
print(b, len(s), len(b))
print(b.decode(), b.decode("utf-8") == s)
print(s.encode("ascii", "replace"), s.encode("ascii", "ignore"), s.encode("latin-1", "replace"))
print("abc".encode("ascii"), "é".encode("latin-1"))
try:
    s.encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
try:
    b"\xff".decode()
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print(b"\xe2\x82\xac".decode(), bytes("ok", "utf-8"), str(b"ab", "ascii"))
print(str(b"raw"))
