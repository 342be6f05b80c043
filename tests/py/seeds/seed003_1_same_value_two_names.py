# Seed 003, example 1: a = 200 and b = 200 refer to the same PyObject.
a = 200
b = 200
print(a is b)
print(id(a) == id(b))
