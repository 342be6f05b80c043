# Uncaught EOFError from input().
print("asking")
name = input()
print("hello", name)
