# set operations (results printed sorted).
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union([9])), sorted(a.intersection(b, {4})), sorted(a.difference(b)))
print(a <= a, {1} < a, a >= {1, 2}, a.isdisjoint({7}), {1, 2}.issubset(a))
s = set()
s.add(3); s.add(3); s.update([1, 2], (9,))
print(sorted(s), len(s))
s.discard(42); s.remove(9)
try:
    s.remove(42)
except KeyError as e:
    print("KeyError:", e)
print(sorted(s), 2 in s, s.pop() in {1, 2, 3})
print(set("aabbc") == {"a", "b", "c"}, {1, 1.0, True}, type({}).__name__)
c = {1, 2}
c |= {3}; c &= {2, 3, 4}; c -= {9}; c ^= {5}
print(sorted(c))
try:
    {[1]}
except TypeError as e:
    print("TypeError:", e)
print(set(), repr(set()), {0} == {False})
