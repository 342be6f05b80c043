# With automatic GC disabled, the exit-time PyGC_Collect() does nothing: globals are finalized first,
# the unreachable cycle only in the later module-teardown collection.
import gc
class Node:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalized:", self.name)
gc.disable()
g = Node("global")
c = Node("unreachable cycle")
c.me = c
del c
print("end of script")
