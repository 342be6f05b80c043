# __repr__ and __str__: which builtins use which.
class Both:
    def __repr__(self):
        return "Both()"
    def __str__(self):
        return "both as str"
class ReprOnly:
    def __repr__(self):
        return "ReprOnly<1>"
b = Both()
r = ReprOnly()
print(b, repr(b), str(b), f"{b}", f"{b!r}", "%s %r" % (b, b))
print(r, str(r), [b, r], (b,), {"k": b})
print(format(b), "{}".format(r))
class BadRepr:
    def __repr__(self):
        return 42
try:
    repr(BadRepr())
except TypeError as e:
    print("TypeError:", e)
class Sub(ReprOnly):
    pass
print(Sub())
