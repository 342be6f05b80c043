# On return, frame slots are released in order: parameters, then locals by first assignment.
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
def f(p1, p2):
    local_b = D("local_b")
    local_a = D("local_a")
    keep = D("returned")
    print("returning")
    return keep
r = f(D("p1"), D("p2"))
print("got", r.name)
del r
def g():
    x = D("x")
    x = D("x2")
    print("end of g")
g()
print("done")
