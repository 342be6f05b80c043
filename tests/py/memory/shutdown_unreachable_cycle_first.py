# At exit, garbage cycles are collected (and finalized) before module globals are torn down.
class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalized:", self.name)
g = Node("global")
c = Node("unreachable cycle")
c.me = c
del c
print("end of script")
