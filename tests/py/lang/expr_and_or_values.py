# and/or return one of their operands, not a bool.
print(1 and 2, 0 and 2, 1 or 2, 0 or 2)
print("" or "default", "x" or "default", [] and [1], [0] and [1])
print(None or 0 or "" or [], None and 1)
print(0.0 or -0.0, 0 or False, False or 0)
print(not 0, not [], not [0], not "", not None)
print(1 and 2 and 3, 1 and 0 and 3, 0 or 0 or 3)
x = [] or {}
print(type(x).__name__)
print((1, 2) and "yes", () or "empty tuple")
