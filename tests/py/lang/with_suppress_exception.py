# __exit__ returning true suppresses the exception.
class Suppress:
    def __init__(self, *types):
        self.types = types
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        if t is not None and issubclass(t, self.types):
            print("suppressed", t.__name__, v)
            return True
        return None
with Suppress(KeyError):
    {}["k"]
    print("not reached")
print("after with")
try:
    with Suppress(KeyError):
        raise TypeError("not suppressed")
except TypeError as e:
    print("TypeError escaped:", e)
class Bad:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *a):
        print("exit not called")
try:
    with Bad():
        print("no body")
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    with 5:
        pass
except TypeError as e:
    print("TypeError:", e)
