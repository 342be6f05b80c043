# from-import copies bindings; star import skips underscore names.
import sys
sys.path.insert(0, "modules")
from mod_shapes import counter, bump, Square as Sq
from mod_shapes import *
print(counter, bump(), counter)
import mod_shapes
print(mod_shapes.counter)
print(Sq(2).area(), area(1), "_private" in dir())
try:
    from mod_shapes import nothing_here
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0], e.name)
