# Seed 002, example 3: x and y share one object until x is rebound to a float.
# The tutorial printed raw ids (same, same, new, old); this prints the comparisons instead.
x = 1
y = x
print(id(x) == id(y))

x = 2.0
print(id(x) == id(y))
print(id(y) == id(1))
