# *args and **kwargs at call sites and in definitions.
def show(*args, **kwargs):
    return args, kwargs
print(show())
print(show(1, 2, x=3))
args = [1, 2, 3]
kw = {"a": 1, "b": 2}
print(show(*args, **kw))
print(show(0, *args, 4, *"ab", k=1, **kw))
print(show(*range(3), *(), **{}))
def add(a, b, c):
    return a + b + c
print(add(*[1, 2, 3]), add(1, *(2, 3)), add(**{"a": 1, "b": 2, "c": 3}))
print(add(1, **{"c": 3, "b": 2}))
try:
    add(**kw, a=5)
except TypeError as e:
    print("TypeError:", e)
try:
    add(*[1, 2, 3, 4])
except TypeError as e:
    print("TypeError:", e)
try:
    show(**{1: 2})
except TypeError as e:
    print("TypeError:", e)
print(max(*[3, 9, 2]), print(*["a", "b"], sep="-"))
