# An exception in finally replaces the original one (uncaught, shows context).
def f():
    try:
        raise ValueError("original")
    finally:
        raise KeyError("from finally")
f()
