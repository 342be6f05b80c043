# Seed 003, example 3: reassigning a = 3 gives a a new object; b keeps the original.
a = 1
b = 1
a = 3
print(id(a) == id(b))
print(id(b) == id(1))
