# Encoding and decoding with error handlers, and the errors' attributes.
cases = [b"\xff", b"a\xc3", b"\xe2\x82", b"\xe2\x28\xa1", b"\xed\xa0\x80x", b"\xf0\x90\x80",
         b"\xf4\x90\x80\x80", b"\xc0\xaf", b"ok\xe0\x80\x80", b"\xf0\x9f\x98\x80\xff\xfe", b"\x80\x80abc"]
for b in cases:
    for h in ["replace", "ignore", "backslashreplace", "surrogateescape"]:
        r = b.decode("utf-8", h)
        print(h, ascii(r), len(r))
    try:
        b.decode()
    except UnicodeDecodeError as e:
        print(e, "|", e.encoding, e.object, e.start, e.end, e.reason, e.args == (e.encoding, e.object, e.start, e.end, e.reason))
    try:
        b.decode("ascii")
    except UnicodeDecodeError as e:
        print(e)
    print(ascii(b.decode("latin-1")), b.decode("ascii", "replace"))
for s in ["héllo wörld €", "日本語 ok", "a\U0001F600b", "caf\xe9\u20ac\u20ac!"]:
    for enc in ["ascii", "latin-1", "utf-8"]:
        for h in ["replace", "ignore", "backslashreplace", "xmlcharrefreplace"]:
            print(enc, h, s.encode(enc, h))
        try:
            print(s.encode(enc))
        except UnicodeEncodeError as e:
            print(e, "|", e.start, e.end, e.reason, repr(e.object))
sur = b"abc\xff\xfe".decode("utf-8", "surrogateescape")
print(ascii(sur), sur.encode("utf-8", "surrogateescape"), sur.encode("latin-1", "surrogateescape"))
try:
    sur.encode()
except UnicodeEncodeError as e:
    print(e)
try:
    "\udc80x".encode("ascii", "surrogateescape"), "\u20ac".encode("ascii", "surrogateescape")
except UnicodeEncodeError as e:
    print(e)
for bad in [("utf-8", "bogus"), ("nope", "strict")]:
    try:
        print("é".encode(*bad))
    except LookupError as e:
        print("LookupError:", e)
print("abc".encode("ascii", "bogus"), b"abc".decode("utf-8", "bogus"))
try:
    b"\xff".decode("utf-8", "bogus")
except LookupError as e:
    print("LookupError:", e)
try:
    "x".encode(5)
except TypeError as e:
    print("TypeError:", e)
try:
    "x".encode("utf-8", 5)
except TypeError as e:
    print("TypeError:", e)
e = UnicodeDecodeError("utf-8", b"\xff\xfe", 0, 2, "custom reason")
print(e, repr(e.object), e.start)
e = UnicodeEncodeError("ascii", "\U0001F600", 0, 1, "nope")
print(e)
try:
    UnicodeDecodeError("x")
except TypeError as e:
    print("TypeError:", e)
print(str(b"\xe9t\xe9", "latin-1"), str(b"a\xffb", "utf-8", "replace"), bytes("d\xe9j\xe0", "latin-1"))
print("Straße".encode("UTF8"), "x".encode(encoding="Latin_1", errors="strict"), b"x".decode(encoding="US-ASCII"))
