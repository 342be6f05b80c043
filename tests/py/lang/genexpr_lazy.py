# Generator expressions are lazy and single-use.
log = []
def src():
    for i in range(4):
        log.append(f"produce {i}")
        yield i
g = (x * 10 for x in src())
print(type(g).__name__, log)
print(next(g), log)
print(list(g), log)
print(list(g))
print(sum(x for x in range(101)), max(len(w) for w in ["a", "abc", "ab"]))
print(sorted((x % 3 for x in range(7)), reverse=True))
g2 = (c for c in "hi")
print(iter(g2) is g2, "".join(g2))
