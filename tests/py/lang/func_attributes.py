# Function objects: names, defaults, code, attributes, identity.
def outer(a, b=2, *args, c, d=4, **kw):
    """Docstring here."""
    def inner():
        return a
    return inner
print(outer.__name__, outer.__qualname__, outer.__doc__, outer.__module__)
print(outer.__defaults__, outer.__kwdefaults__)
print(outer.__code__.co_name, outer.__code__.co_varnames[:4])
inner = outer(1, c=3)
print(inner.__name__, inner.__qualname__, inner())
outer.custom = "attr"
print(outer.custom, type(outer).__name__, callable(outer))
print(outer.__globals__ is globals())
f = outer
print(f is outer, f == outer)
def g(): pass
g.__name__ = "renamed"
print(g.__name__, g.__qualname__)
print(repr(type(g)), type(len).__name__, type(print).__name__)
