# A dict releases entries in insertion order, key before value.
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
    def __hash__(self):
        return hash(self.name)
    def __eq__(self, other):
        return self is other
d = {}
d["first"] = D("v1")
d[D("k2")] = D("v2")
d["third"] = D("v3")
del d
print("update keeps position:")
e = {"a": D("a1"), "b": D("b1")}
e["a"] = D("a2")
del e
print("done")
