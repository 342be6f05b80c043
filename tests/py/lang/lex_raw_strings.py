# Raw strings keep backslashes.
print(r"\n\t\\", len(r"\n"))
print(R'C:\path\to\file')
print(r"a\"b", len(r"a\"b"))
print(rb"\x00" == b"\\x00")
print(repr(r"\d+\s*"))
print(r"""raw
triple \n""")
print(Rb"\n", bR"\t", br"\\")
