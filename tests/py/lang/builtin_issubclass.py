# issubclass with classes, tuples, object, and errors.
class A: pass
class B(A): pass
class C(B): pass
print(issubclass(C, A), issubclass(A, C), issubclass(A, A), issubclass(C, (int, B)))
print(issubclass(bool, int), issubclass(int, object), issubclass(type, object), issubclass(object, type))
print(issubclass(KeyError, (ValueError, LookupError)))
try:
    issubclass(C(), A)
except TypeError as e:
    print("TypeError:", e)
print(C.__subclasses__(), [k.__name__ for k in A.__subclasses__()])
