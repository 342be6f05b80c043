# ord and chr across ASCII, Latin-1 and beyond.
print(ord("A"), ord("a"), ord("0"), ord("\n"), ord("é"), ord("€"), ord("😀"))
print(chr(65), chr(97), chr(233), chr(8364), chr(128512) == "😀", repr(chr(0)))
print("".join(chr(ord(c) + 1) for c in "HAL"))
for bad in [lambda: ord("ab"), lambda: ord(""), lambda: chr(-1), lambda: chr(0x110000)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
print(ord(b"a"), [ord(c) for c in "xyz"])
