# raise ... from None hides the context in the traceback.
def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        raise AttributeError(f"no field {k!r}") from None
try:
    lookup({}, "x")
except AttributeError as e:
    print(e, e.__suppress_context__, repr(e.__context__), e.__cause__)
lookup({"a": 1}, "missing")
