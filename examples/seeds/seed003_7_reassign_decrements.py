# Seed 003, example 7: reassigning a variable releases its reference to the old object.
a = 1
first = id(a)
a = 2
print(id(a) == first)
