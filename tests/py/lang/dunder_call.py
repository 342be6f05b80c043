# __call__ makes instances callable.
class Multiplier:
    def __init__(self, k):
        self.k = k
    def __call__(self, x, *, twice=False):
        r = x * self.k
        return r * 2 if twice else r
m = Multiplier(3)
print(m(5), m(5, twice=True), callable(m), callable(Multiplier), callable(5))
print(list(map(m, [1, 2, 3])))
class Counter:
    count = 0
    def __call__(self):
        Counter.count += 1
        return Counter.count
c = Counter()
c(); c()
print(c(), Counter.count)
try:
    f = 5
    f()
except TypeError as e:
    print("TypeError:", e)
class NoCall:
    pass
try:
    NoCall()()
except TypeError as e:
    print("TypeError:", e)
