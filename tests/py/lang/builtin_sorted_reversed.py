# sorted returns a new list; reversed returns an iterator.
data = [3, 1, 2]
s = sorted(data)
print(s, data, s is data)
r = reversed(data)
print(type(r).__name__, list(r), list(r))
print(list(reversed("abc")), list(reversed(range(4))), list(reversed((1, 2))))
print("".join(reversed("stressed")), sorted("bca", reverse=True))
class Rev:
    def __reversed__(self):
        return iter(["custom"])
print(list(reversed(Rev())))
class SeqOnly:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        return i * 10
print(list(reversed(SeqOnly())))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)
print(sorted({"b": 1, "a": 2}.items()), sorted([("b", 2), ("a", 2)], key=lambda p: p[1]))
