# dicts keep insertion order; updates keep position; delete+insert moves to end.
d = {}
d["z"] = 1
d["a"] = 2
d["m"] = 3
print(list(d), d)
d["z"] = 100
print(list(d))
del d["z"]
d["z"] = 5
print(list(d))
d2 = dict(b=1, a=2)
d2.update({"c": 3, "b": 10})
print(d2)
print(list({3: "a", 1: "b", 2: "c"}.keys()))
print({**{"x": 1, "y": 2}, **{"x": 3}})
merged = {"a": 1} | {"b": 2, "a": 0}
print(merged)
keys = [str(i) for i in range(20, 0, -3)]
print(list(dict.fromkeys(keys)))
print(list(reversed({"p": 1, "q": 2})))
print({1: "int", 1.0: "float", True: "bool"})
