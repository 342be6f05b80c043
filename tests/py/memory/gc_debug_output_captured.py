# DEBUG_COLLECTABLE/DEBUG_STATS write to sys.stderr; capture it and print only stable parts.
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
gc.set_debug(gc.DEBUG_COLLECTABLE)
a = []
a.append(a)
d = {}
d["d"] = d
del a, d
n = gc.collect()
gc.set_debug(0)
sys.stderr = old
print(n)
for line in cap.text.splitlines():
    print(line.split(" 0x")[0])
