# Seed 000, example 2: y = x makes y refer to the same object as x.
x = 10
y = x

if id(x) == id(y):
    print("x and y refer to the same object")
