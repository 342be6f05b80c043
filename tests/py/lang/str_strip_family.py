# strip, lstrip, rstrip with and without characters.
s = " \t hello world \n "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "abcHIcba".strip("abc"), "xyHIyx".lstrip("xy"), "xyHIyx".rstrip("xy"))
print(repr("   ".strip()), repr("".strip()))
print("www.example.com".strip("cmowz."))
print("prefix_name".removeprefix("prefix_"), "file.txt".removesuffix(".txt"), "a".removeprefix("b"))
print("|" + "ab".center(6) + "|", "|" + "ab".ljust(5, ".") + "|", "|" + "ab".rjust(5) + "|")
print("42".zfill(5), "-42".zfill(5), "abc".zfill(2))
print("a\tb".expandtabs(4))
