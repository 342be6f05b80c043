# SyntaxError: '(' was never closed.
print("start")
result = max(1, 2
