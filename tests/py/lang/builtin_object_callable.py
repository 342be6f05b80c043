# object(): featureless base; callable() on many kinds of values.
o = object()
print(type(o).__name__, o == o, o == object(), o != object(), bool(o))
try:
    o.x = 1
except AttributeError as e:
    print("AttributeError:", e)
print(object.__name__, object.__bases__, isinstance(5, object))
class C:
    def m(self): pass
    def __call__(self): pass
class D:
    pass
for v in [len, print, C, C(), D(), D, C().m, lambda: 0, 5, "s", None, type, object]:
    print(callable(v), end=" ")
print()
print(str(object).startswith("<class"), repr(object))
