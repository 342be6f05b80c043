# __getitem__/__setitem__/__delitem__ with int, slice and tuple keys.
class Grid:
    def __init__(self):
        self.cells = {}
    def __getitem__(self, key):
        print("get", key)
        return self.cells.get(key, 0)
    def __setitem__(self, key, value):
        print("set", key, value)
        self.cells[key] = value
    def __delitem__(self, key):
        print("del", key)
        del self.cells[key]
g = Grid()
g[0, 1] = 5
print(g[0, 1], g[9, 9])
g[0, 1] += 1
print(g.cells)
del g[0, 1]
try:
    del g["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    g[1:3] = "slice"
except TypeError as e:
    print("TypeError:", e)
print(g.cells)
class RO:
    def __getitem__(self, i):
        return i * 2
r = RO()
print(r[21])
try:
    r[0] = 1
except TypeError as e:
    print("TypeError:", e)
try:
    del r[0]
except (TypeError, AttributeError) as e:
    print(type(e).__name__ + ":", e)
