# Import a .py module from a folder added to sys.path; module runs once.
import sys
sys.path.insert(0, "modules")
import mod_shapes
import mod_shapes as again
print(mod_shapes is again, mod_shapes.__name__)
print(mod_shapes.area(2), mod_shapes.Square(3).area())
print(mod_shapes.bump(), mod_shapes.bump(), again.counter)
print(type(mod_shapes).__name__, "mod_shapes" in sys.modules)
print(sorted(n for n in dir(mod_shapes) if not n.startswith("__")))
print(mod_shapes.Square.__module__)
