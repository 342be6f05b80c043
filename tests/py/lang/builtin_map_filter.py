# map and filter are lazy iterators.
m = map(str, [1, 2, 3])
print(type(m).__name__, list(m), list(m))
print(list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])))
print(list(map(len, ["a", "bb", ""])), list(map(int, "123")))
f = filter(lambda x: x % 2, range(10))
print(type(f).__name__, list(f))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))
calls = []
def noisy(x):
    calls.append(x)
    return x * 2
lazy = map(noisy, [1, 2, 3])
print(calls, next(lazy), calls)
print(sum(map(abs, [-1, -2, 3])), list(filter(str.isdigit, "a1b2")))
