# 100000-deep nested lists, tuples and dicts free without crashing.
class Marker:
    def __del__(self):
        print("marker freed")
l = [Marker()]
for _ in range(100000):
    l = [l]
l = None
print("lists freed")
d = {"m": Marker()}
for _ in range(100000):
    d = {"d": d}
d = None
print("dicts freed")
t = (Marker(),)
for _ in range(100000):
    t = (t,)
t = None
print("tuples freed")
