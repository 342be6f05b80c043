# Objects with only __getitem__ are iterable until IndexError.
class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError(i)
        return i * i
s = Seq()
print(list(s), 9 in s, 5 in s)
for v in s:
    print(v, end=" ")
print()
a, b, c, d = s
print(a, b, c, d, sorted(s, reverse=True))
it = iter(s)
print(type(it).__name__, next(it), next(it))
