# __exit__ receives the exception triple; exceptions in __exit__ replace the original.
class Tracker:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, et, ev, tb):
        print("exit", et is not None and et.__name__, ev, tb is not None)
with Tracker() as t:
    print("body", type(t).__name__)
try:
    with Tracker():
        raise KeyError("k")
except KeyError:
    print("KeyError propagated")
class Failing:
    def __enter__(self):
        return None
    def __exit__(self, *a):
        raise RuntimeError("exit failed")
try:
    with Failing():
        raise ValueError("body failed")
except RuntimeError as e:
    print("RuntimeError:", e, "context:", repr(e.__context__))
class Nested:
    def __init__(self, n):
        self.n = n
    def __enter__(self):
        print("enter", self.n)
    def __exit__(self, *a):
        print("exit", self.n)
with Nested(1), Nested(2):
    with Nested(3):
        print("innermost")
