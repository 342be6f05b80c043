# Reference cycles made faster than they are freed, so that the collector
# runs on its own (no gc module), with finalizers, closures and dicts in the
# cycles: the collector's work under allocation failure.
class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        freed.append(self.name)


freed = []


def make_pair(i):
    a = Node("a%d" % i)
    b = Node("b%d" % i)
    a.other = b
    b.other = a
    a.fn = lambda: b
    b.d = {"self": b, "i": i}


for i in range(400):
    make_pair(i)
    l = [i]
    l.append(l)

print("made 400 pairs")
print("some freed by the collector:", len(freed) > 0)
