# __contains__ overrides iteration for in/not in; result converted to bool.
class Evens:
    def __contains__(self, x):
        print("contains?", x)
        return x % 2 == 0
e = Evens()
print(4 in e, 3 in e, 3 not in e)
class Weird:
    def __contains__(self, x):
        return "non-empty"
print(1 in Weird())
class ViaIter:
    def __iter__(self):
        print("iterating")
        return iter([1, 2, 3])
print(2 in ViaIter(), 7 in ViaIter())
try:
    1 in 5
except TypeError as e:
    print("TypeError:", e)
