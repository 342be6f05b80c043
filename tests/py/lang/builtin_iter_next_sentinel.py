# iter() with a sentinel callable; next() with a default.
data = [1, 2, 3, 0, 4]
pos = 0
def read():
    global pos
    pos += 1
    return data[pos - 1]
print(list(iter(read, 0)), pos)
it = iter([10])
print(next(it), next(it, "done"), next(it, None))
i1 = iter([1, 2])
print(iter(i1) is i1)
s = iter("ab")
print(next(s), next(s), next(s, "end"))
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
try:
    next([1, 2])
except TypeError as e:
    print("TypeError:", e)
d = iter({"a": 1, "b": 2})
print(next(d), type(d).__name__)
