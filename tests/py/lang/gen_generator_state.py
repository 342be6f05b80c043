# Generators interleave; local state survives between next() calls; generators in classes.
def numbered(tag):
    i = 0
    while True:
        i += 1
        yield f"{tag}{i}"
a = numbered("a")
b = numbered("b")
print(next(a), next(a), next(b), next(a), next(b))
class Tree:
    def __init__(self, value, *children):
        self.value = value
        self.children = children
    def __iter__(self):
        yield self.value
        for c in self.children:
            yield from c
t = Tree(1, Tree(2, Tree(3)), Tree(4))
print(list(t))
def pipeline():
    nums = (n for n in range(10))
    evens = (n for n in nums if n % 2 == 0)
    squares = (n * n for n in evens)
    return list(squares)
print(pipeline())
g = numbered("x")
print(g.__name__, g.__qualname__)
