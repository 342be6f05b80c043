# Seed 003, example 4: b = a aliases; after a = 3, b still references the original object.
a = 1
b = a
print(id(a) == id(b))
a = 3
print(id(a) == id(b))
print(b)
