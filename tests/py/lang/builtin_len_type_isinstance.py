# len, type, isinstance with tuples and inheritance.
print(len("abc"), len([1, 2]), len({}), len(range(3)), len({1: 2, 3: 4}), len(b"xy"))
print(type(1), type("s"), type([]), type(None), type(type))
print(type(1) is int, type(True) is int, type(True) is bool)
print(isinstance(1, int), isinstance(True, int), isinstance(1, (str, float)), isinstance(1.0, (str, float)))
print(isinstance([], object), isinstance(int, type), isinstance(type, object))
class A: pass
class B(A): pass
print(isinstance(B(), A), isinstance(A(), B), type(B()) is A)
print(isinstance("x", (int, (list, str))))
try:
    isinstance(1, 1)
except TypeError as e:
    print("TypeError:", e)
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)
T = type("T", (A,), {"v": 5})
print(T.v, T.__name__, isinstance(T(), A))
