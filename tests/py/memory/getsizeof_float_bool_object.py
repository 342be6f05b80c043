# Fixed-size objects: float 24, object() 16, None 16; bool is an int.
import sys
print(sys.getsizeof(1.0), sys.getsizeof(-2.5e300), sys.getsizeof(object()))
print(sys.getsizeof(True) == sys.getsizeof(1))
print(sys.getsizeof(None), sys.getsizeof(...))
print(sys.getsizeof(1.0) == sys.getsizeof(float("inf")))
class S:
    def __sizeof__(self):
        return 100
# __sizeof__ plus the collector's header (and in CPython a pre-header too).
print(sys.getsizeof(S()) > 100, S().__sizeof__())
print(sys.getsizeof(5, "default") == sys.getsizeof(5))
class Bad:
    def __sizeof__(self):
        return -1
try:
    sys.getsizeof(Bad())
except ValueError as e:
    print("ValueError:", e)
class NotInt:
    def __sizeof__(self):
        return "big"
try:
    sys.getsizeof(NotInt())
except TypeError as e:
    print("TypeError:", e)
