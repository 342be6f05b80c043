# Escape sequences in string literals.
print("tab:[\t] newline-next:\nend")
print("backslash \\ quote \' dquote \"")
print(repr("\a\b\f\v\r"))
print("\x41\x42\x43", "\101\102\103", "\u00e9\u4e2d", "\U0001F600" == "\U0001f600")
print(len("\U0001F600"), ord("\u00e9"))
print("\0" == chr(0), repr("\0"))
print(repr("a\
b"))
s = "\\n is not a newline"
print(s, len(s))
print(repr("\x7f\x80\xff"))
print(repr("tab\there"))
