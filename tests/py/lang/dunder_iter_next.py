# __iter__/__next__ iterator protocol in for, list(), unpacking and in.
class Count:
    def __init__(self, n):
        self.n = n
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
for x in Count(3):
    print(x)
print(list(Count(4)), sum(Count(5)), 2 in Count(3))
a, b = Count(2)
print(a, b)
c = Count(3)
print(next(c), list(c), list(c))
class Reusable:
    def __iter__(self):
        yield from range(2)
r = Reusable()
print(list(r), list(r), [x * 10 for x in r])
class NotIter:
    pass
try:
    for _ in NotIter():
        pass
except TypeError as e:
    print("TypeError:", e)
