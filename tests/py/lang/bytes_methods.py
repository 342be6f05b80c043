# bytes methods beyond the basics: classes, case, search with ranges and
# ints, splitting, padding, hex with separators, % formatting, errors.
b = b"  Hello World\tfoo\xe9 bar\n"
print(b.split(), b.split(None, 1), b.rsplit(None, 1), b.split(b"o"), b.rsplit(b"o", 2))
print(b"a,b,,c".split(b","), b"a,b,,c".split(b",", 1), b"".split(), b"".split(b","), b"  ".split(b" "))
print(b"line1\nline2\r\nline3\rend".splitlines(), b"x\n\ny\n".splitlines(True), b"".splitlines())
print(b.upper(), b.lower(), b.swapcase(), b"hello wORLD 3x".title(), b"hELLO".capitalize())
print(b"abc".isalpha(), b"ab1".isalnum(), b"123".isdigit(), b" \t\n".isspace(), b"\x80".isascii(), b"".isascii())
print(b"abc".islower(), b"ABC".isupper(), b"Abc Def".istitle(), b"abc\xe9".islower(), b"".isalpha())
h = b"abracadabra"
print(h.find(b"a", 1), h.rfind(b"a"), h.find(98), h.rfind(98, 0, 5), h.find(b"z"), h.count(b"a"), h.count(97, 2, -2), h.count(b""))
print(h.index(b"cad"), h.rindex(b"a", 0, -1), h.startswith(b"abr", 0), h.endswith((b"x", b"bra")), h.startswith(b"bra", 1, 4))
print(h.partition(b"ca"), h.rpartition(b"a"), h.partition(b"zz"), h.rpartition(b"zz"))
print(h.replace(b"a", b"A", 2), h.replace(b"", b"-"), h.replace(b"abra", b""), h.removeprefix(b"abra"), h.removesuffix(b"x"))
print(b"xxhixx".strip(b"x"), b"  hi  ".lstrip(), b"  hi  ".rstrip(), b"\x00hi\x00".strip(b"\x00"))
print(b"ab".center(7, b"*"), b"ab".center(6), b"abc".center(6), b"ab".ljust(5, b"."), b"ab".rjust(5), b"-42".zfill(6), b"7".zfill(3))
print(b"a\tbc\td".expandtabs(), b"a\tb".expandtabs(4), b"x\ny\tz".expandtabs(2))
print(b"-".join([b"a", b"bc", b""]), b"".join([]), b", ".join((b"x", b"y")))
print(bytes.fromhex("00ff10"), bytes.fromhex(" 01 02  03 "), b"\x01\x02\x03\x04".hex(":"), b"\x01\x02\x03\x04\x05".hex("-", 2), b"\x01\x02\x03\x04\x05".hex("-", -2), b"\xab".hex())
print(b"%s and %b" % (b"x", b"y"), b"%5s|%-5s|" % (b"ab", b"cd"), b"%r %a" % ("h\xe9", b"q"), b"%c%c" % (65, b"B"))
print(b"%d %5.2f %x %o %03d %+d %%" % (42, 3.14159, 255, 8, 7, 5), b"%(k)s=%(v)d" % {b"k": b"key", b"v": 3}, b"%.2s" % b"abcdef")
for bad in ['b"%s" % "str"', 'b"%d" % b"x"', 'b"%c" % 300', 'b"%s %s" % b"x"', 'b"%s" % (b"a", b"b")', 'b"".join([b"a", "b"])',
            'b"abc".find("a")', 'b"abc".split(b"")', 'b"a".startswith("a")', 'bytes.fromhex("0g")', 'b"abc".index(b"z")',
            'b"x".center(3, "*")', 'b"x".find(256)', 'b"x".strip("x")', 'b"x".hex("ab")']:
    try:
        print(eval(bad))
    except Exception as e:
        print(type(e).__name__ + ":", e)
