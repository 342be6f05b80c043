printf 'Ann\n42\nlast line without newline' | "$INTERP" -c 'name = input("name? ")
age = int(input())
print(repr(name), age + 1)
print(repr(input("> ")))
try:
    input("more? ")
except EOFError as e:
    print("EOFError", e)'
