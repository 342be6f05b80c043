# Rich comparisons, reflection and NotImplemented.
log = []
class V:
    def __init__(self, n):
        self.n = n
    def __lt__(self, other):
        log.append(f"{self.n}<{other.n}")
        return self.n < other.n
    def __le__(self, other):
        log.append("le")
        return self.n <= other.n
    def __eq__(self, other):
        log.append("eq")
        return isinstance(other, V) and self.n == other.n
a, b = V(1), V(2)
print(a < b, b > a, log)
log.clear()
print(a <= b, b >= a, log)
log.clear()
print(sorted([V(3), V(1), V(2)], key=lambda v: v)[0].n)
print(a == V(1), a != V(1), a != b)
class Only:
    pass
try:
    Only() < Only()
except TypeError as e:
    print("TypeError:", e)
class Any:
    def __eq__(self, other):
        return "truthy string"
print(Any() == 1, 1 == Any(), Any() != 1)
print(max([V(5), V(9), V(7)]).n, min(V(5), V(2)).n)
