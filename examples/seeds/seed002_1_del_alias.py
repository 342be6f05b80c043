# Seed 002, example 1: del removes a name, not the object; b keeps the list alive.
# (The notebook cell shows no output.)
# Example of reference counting
a = [1, 2, 3]
b = a        # Increase reference count
del a        # Decrease reference count
# b still holds a reference to the list
