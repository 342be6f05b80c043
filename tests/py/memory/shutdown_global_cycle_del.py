# A cycle reachable only from globals is finalized at interpreter exit.
class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalized at exit:", self.name)
a = Node("a")
b = Node("b")
a.other = b
b.other = a
plain = Node("plain global")
print("end of script")
