# SyntaxError: unterminated string literal.
s = "hello
print(s)
