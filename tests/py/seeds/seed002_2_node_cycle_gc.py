# Seed 002, example 2: two Nodes referring to each other are freed only by the cycle collector.
# The notebook echoed gc.collect()'s value; here it is printed. CPython 3.11 running this
# script finds exactly the 2 Node objects (the notebook's 8 included its own garbage).
import gc

# Example of garbage collection
class Node:
    def __init__(self, value):
        self.value = value
        self.ref = None

# Create a circular reference
n1 = Node(1)
n2 = Node(2)
n1.ref = n2
n2.ref = n1

# Delete references
del n1
del n2

# Manually invoke garbage collector
print(gc.collect())
