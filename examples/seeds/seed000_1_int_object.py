# Seed 000, example 1: binding a name creates an int object in the private heap.
# (The tutorial shows no output for this example.)
x = 10
