# Seed 003, example 5: del removes the name a; it does not delete the object.
a = 2
print(id(a) == id(2))
del a
print("a" in globals())
