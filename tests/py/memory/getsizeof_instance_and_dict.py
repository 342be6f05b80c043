# Plain-class instance is 56 bytes in 3.11; a materialised __dict__ is separate (248 here).
import sys
class Plain:
    pass
class WithAttrs:
    def __init__(self):
        self.a = 1
        self.b = 2
p = Plain()
w = WithAttrs()
print(sys.getsizeof(p), sys.getsizeof(w))
d = w.__dict__
print(sys.getsizeof(d))
class Slots:
    __slots__ = ("x", "y")
print(sys.getsizeof(Slots()), sys.getsizeof(object()))
