# A tuple releases its items last to first; nested containers recurse depth-first.
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
t = (D("t0"), D("t1"), D("t2"))
del t
nested = [D("outer0"), (D("in0"), D("in1")), D("outer2")]
del nested
print("done")
