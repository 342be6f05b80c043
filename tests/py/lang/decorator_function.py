# Decorators wrap functions; stacking applies bottom-up.
def trace(fn):
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args, kwargs)
        result = fn(*args, **kwargs)
        print("returned", result)
        return result
    return wrapper
def bold(fn):
    return lambda: "<b>" + fn() + "</b>"
def italic(fn):
    return lambda: "<i>" + fn() + "</i>"
@trace
def add(a, b=0):
    return a + b
add(1, b=2)
@bold
@italic
def text():
    return "hi"
print(text())
registry = []
def register(fn):
    registry.append(fn.__name__)
    return fn
@register
def one(): pass
@register
def two(): pass
print(registry, one.__name__, add.__name__)
class Cnt:
    def __init__(self, fn):
        self.fn = fn
        self.n = 0
    def __call__(self, *a):
        self.n += 1
        return self.fn(*a)
@Cnt
def sq(x):
    return x * x
print(sq(3), sq(4), sq.n)
