# Reading a file that is not valid UTF-8 (bad_utf8.dat, beside this script):
# UnicodeDecodeError names the byte and its position, and the file is closed.
try:
    with open("bad_utf8.dat", encoding="utf-8") as f:
        f.read()
except UnicodeDecodeError as e:
    print(type(e).__name__, e.reason, e.start, e.end)
    print(e)
print(f.closed)
try:
    b"ab\xc3".decode("utf-8")
except UnicodeDecodeError as e:
    print(e)
print(b"\xff\xfeabc".decode("utf-8", "ignore"))
