# A source file that is not UTF-8 (byte 0xe9 on line 3) fails before it runs.
print("never printed")
x = "café"
