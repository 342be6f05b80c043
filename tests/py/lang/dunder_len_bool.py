# __len__ and __bool__ decide truthiness; bool wins over len.
class L:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
class B:
    def __bool__(self):
        print("__bool__ called")
        return False
    def __len__(self):
        print("__len__ called")
        return 5
print(len(L(3)), bool(L(0)), bool(L(2)), "yes" if L(1) else "no")
print(bool(B()), len(B()))
class Plain:
    pass
print(bool(Plain()))
class BadLen:
    def __len__(self):
        return -1
try:
    len(BadLen())
except ValueError as e:
    print("ValueError:", e)
class BadBool:
    def __bool__(self):
        return 1
try:
    bool(BadBool())
except TypeError as e:
    print("TypeError:", e)
print(not L(0), L(0) or "fallback")
