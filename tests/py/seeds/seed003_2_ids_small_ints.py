# Seed 003, example 2: a and b share an id, c points to a different object.
a = 1
b = 1
c = 2
print(id(a) == id(b))
print(id(c) == id(a))
