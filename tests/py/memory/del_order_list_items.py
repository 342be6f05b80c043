# A list releases its items last to first.
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
l = [D("a"), D("b"), D("c")]
print("dropping list")
del l
print("clear():")
m = [D("x"), D("y"), D("z")]
m.clear()
print("slice del:")
n = [D(str(i)) for i in range(6)]
del n[1:4]
print("remaining", [d.name for d in n])
n = None
print("done")
