# None: singleton, falsy, comparisons, errors.
x = None
print(x, repr(x), type(x).__name__, x is None, x == None, bool(x))
def f():
    pass
print(f() is None, [].append(1) is None)
print(None == 0, None == False, None != "")
try:
    None < 1
except TypeError as e:
    print("TypeError:", e)
try:
    x()
except TypeError as e:
    print("TypeError:", e)
try:
    len(None)
except TypeError as e:
    print("TypeError:", e)
print({None: "none key"}[None], [None] * 2)
print(type(None)() is None)
