# frozenset is immutable and hashable.
f = frozenset([3, 1, 2, 1])
print(sorted(f), len(f), type(f).__name__)
d = {f: "frozen key"}
print(d[frozenset({1, 2, 3})])
print(f == {1, 2, 3}, hash(f) == hash(frozenset([1, 2, 3])))
print(type(f | {4}).__name__, type({4} | f).__name__, sorted(f & {1, 9}))
try:
    f.add(5)
except AttributeError as e:
    print("AttributeError:", e)
nested = {frozenset({1}), frozenset({1}), frozenset()}
print(len(nested))
print(frozenset(), frozenset("a"))
