# DEBUG_STATS output goes to sys.stderr; capture it and keep only the stable parts
# (object counts per generation and the elapsed time depend on the interpreter).
import gc
import sys
class Capture:
    def __init__(self):
        self.text = ""
    def write(self, s):
        self.text += s
    def flush(self):
        pass
gc.collect()
cap = Capture()
old = sys.stderr
sys.stderr = cap
gc.set_debug(gc.DEBUG_STATS)
a = []
a.append(a)
b = {}
b["b"] = b
del a, b
n = gc.collect()
gc.set_debug(0)
sys.stderr = old
print(n)
for line in cap.text.splitlines():
    if line.startswith("gc: objects in each generation:"):
        print("gc: objects in each generation: <counts>")
    elif line.startswith("gc: done,"):
        print(line.rsplit(",", 1)[0])
    else:
        print(line)
