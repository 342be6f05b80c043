# yield from delegates to a sub-iterator and returns its value.
def inner():
    yield 1
    yield 2
    return "inner done"
def outer():
    result = yield from inner()
    print("inner returned", result)
    yield from [10, 20]
    yield from "ab"
    yield from range(2)
print(list(outer()))
def flatten(x):
    if isinstance(x, list):
        for item in x:
            yield from flatten(item)
    else:
        yield x
print(list(flatten([1, [2, [3, [4]], 5], [[6]]])))
def echo():
    while True:
        got = yield
        print("echo got", got)
def relay():
    yield from echo()
r = relay()
next(r)
r.send("a")
r.send("b")
