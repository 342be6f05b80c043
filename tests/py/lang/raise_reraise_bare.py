# Bare raise re-raises the exception being handled; raise of a class instantiates it.
def inner():
    try:
        int("x")
    except ValueError:
        print("handling, re-raising")
        raise
try:
    inner()
except ValueError as e:
    print("outer got:", e)
try:
    raise KeyError
except KeyError as e:
    print(repr(e), e.args)
try:
    raise IndexError("bad index", 3)
except IndexError as e:
    print(e.args, str(e))
try:
    raise 42
except TypeError as e:
    print("TypeError:", e)
try:
    raise
except RuntimeError as e:
    print("RuntimeError:", e)
e = ValueError("saved")
try:
    raise e
except ValueError as caught:
    print(caught is e)
