# Fixed-size objects: float 24, bool 28, object() 16, None 16.
import sys
print(sys.getsizeof(1.0), sys.getsizeof(-2.5e300), sys.getsizeof(True), sys.getsizeof(object()))
print(sys.getsizeof(None), sys.getsizeof(...))
print(sys.getsizeof(1.0) == sys.getsizeof(float("inf")))
class S:
    def __sizeof__(self):
        return 100
print(sys.getsizeof(S()))
print(sys.getsizeof(5, "default") == sys.getsizeof(5))
