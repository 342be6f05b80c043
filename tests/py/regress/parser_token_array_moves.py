# A keyword argument whose name is the last token lexed when the parser's
# token array is full (the array grows by doubling, and moves) once made the
# parser read the old array: a use after free under AddressSanitizer. Every
# position around the first growths, with either parity.
total = 0
for k in range(100, 300):
    for lead in ("", "-"):
        src = "y = [" + lead + "1," * k + "]\nr = dict(key=len(y))\n"
        ns = {}
        exec(src, ns)
        total += ns["r"]["key"]
print(total)
