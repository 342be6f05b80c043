# Instances: a plain class's instance, a materialised __dict__ (a real dict,
# counted separately), and a __slots__ instance, smaller than one with room
# for a dict. (The figures are each implementation's own: tally's are checked
# against docs/sizes.md by tests/lib/test_lang_sizes.c.)
import sys
class Plain:
    pass
class WithAttrs:
    def __init__(self):
        self.a = 1
        self.b = 2
p = Plain()
w = WithAttrs()
print(sys.getsizeof(p) >= sys.getsizeof(object()), sys.getsizeof(w) >= sys.getsizeof(object()))
d = w.__dict__
print(type(d).__name__, d, sys.getsizeof(d) >= sys.getsizeof({}))
class Slots:
    __slots__ = ("x", "y")
print(sys.getsizeof(Slots()) < sys.getsizeof(w), sys.getsizeof(object()))
class Slots4:
    __slots__ = ("a", "b", "c", "d")
print(sys.getsizeof(Slots4()) - sys.getsizeof(Slots()))
