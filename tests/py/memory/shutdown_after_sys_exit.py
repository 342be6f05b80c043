# sys.exit still lets globals (and cycles) be finalized; the exit status is kept.
import sys
class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalized:", self.name)
n = Node("cyclic")
n.me = n
m = Node("acyclic")
print("calling sys.exit(2)")
sys.exit(2)
