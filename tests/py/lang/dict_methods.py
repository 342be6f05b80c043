# dict methods: get, setdefault, pop, popitem, keys/values/items, copy, clear, fromkeys.
d = {"a": 1, "b": 2}
print(d.get("a"), d.get("zz"), d.get("zz", 0))
print(d.setdefault("c", 3), d.setdefault("a", 99), d)
print(d.pop("b"), d.pop("zz", "default"), d)
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError:", e)
d["x"] = 10
print(d.popitem(), d)
print(list(d.keys()), list(d.values()), list(d.items()))
ks = d.keys()
d["new"] = 0
print(ks, len(ks), "new" in ks)
c = d.copy()
c["a"] = -1
print(d["a"], c["a"])
print(dict.fromkeys("ab", 0), dict([("k", "v")]), dict(zip("xy", [1, 2])))
c.clear()
print(c, {} == dict(), {"a": 1} == {"a": 1.0})
try:
    {}.popitem()
except KeyError as e:
    print("KeyError:", e)
print(d.keys() & {"a", "q"}, sorted(d.keys() | {"q"}))
