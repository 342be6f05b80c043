# list(), tuple(), dict(), set() from various iterables.
print(list(), list("ab"), list((1, 2)), list({"k": 1}), list(range(3)), list(x for x in "xy"))
print(tuple(), tuple([1, 2]), tuple("hi"), tuple({1: 2}))
print(dict(), dict(a=1), dict([("a", 1), ("b", 2)]), dict({"x": 1}, y=2), dict(zip("ab", "cd")))
print(sorted(set([3, 1, 3])), set(), sorted(set("hello")), sorted(frozenset(range(3))))
try:
    dict([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    dict([("a", 1, 2)])
except ValueError as e:
    print("ValueError:", e)
try:
    list(5)
except TypeError as e:
    print("TypeError:", e)
l = [1, 2]
t = (1, 2)
print(list(l) is l, list(l) == l, tuple(t) is t)
