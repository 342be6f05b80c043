# hash rules: equal numbers hash equal; tuples of hashables; unhashable types.
print(hash(1) == hash(1.0) == hash(True), hash(0) == hash(-0.0) == hash(False))
print(hash(-1), hash(-2), hash(2 ** 61 - 1), hash(10 ** 30) == hash(10 ** 30))
print(hash(3.5) == hash(3.5), hash(0.5), hash(1.5), hash(float("inf")))
print(hash((1, 2)) == hash((1, 2)), hash(()) == hash(()))
print(hash("abc") == hash("ab" + "c"), hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
print(hash(None) == hash(None), hash(len) == hash(len))
for v in [[1], {}, set(), {"a": 1}.keys()]:
    try:
        hash(v)
    except TypeError as e:
        print("TypeError:", e)
