# get_referents: list/tuple items last to first; dict with str keys gives values only;
# other dicts give value then key per entry (3.11).
import gc
a, b, c = [1], [2], [3]
print(gc.get_referents([a, b, c]) == [c, b, a])
print(gc.get_referents((a, b)) == [b, a])
d = {"x": a, "y": b}
print(gc.get_referents(d) == [a, b])
e = {1: a, 2: b}
print(gc.get_referents(e) == [a, 1, b, 2])
print(gc.get_referents(1), gc.get_referents("s"), gc.get_referents(1.5))
print(sorted(map(str, gc.get_referents([1, "x"], (2,)))))
class C:
    pass
o = C()
o.attr = a
refs = gc.get_referents(o)
print(any(r is C for r in refs), len(refs))
