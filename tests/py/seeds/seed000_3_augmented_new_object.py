# Seed 000, example 3: x += 1 rebinds x to a new object; y still refers to 10.
x = 10
y = x
x += 1

if id(x) != id(y):
    print("x and y do not refer to the same object")
