# Defining __eq__ without __hash__ makes instances unhashable; subclasses inherit that.
class A:
    def __eq__(self, o):
        return True
class B(A):
    pass
class C(A):
    def __hash__(self):
        return 7
print(A.__hash__ is None, B.__hash__ is None, hash(C()))
for cls in (A, B):
    try:
        {cls()}
    except TypeError as e:
        print("TypeError:", e)
print(len({C(), C()}))
class D:
    __hash__ = None
try:
    hash(D())
except TypeError as e:
    print("TypeError:", e)
