# Chained assignment binds every target to the same object, left to right.
a = b = c = []
a.append(1)
print(a, b, c, a is b is c)
x = y = 5
x += 1
print(x, y)
l = [0, 0]
i = l[0] = 1
print(i, l)
order = []
class Rec:
    def __setitem__(self, k, v):
        order.append((k, v))
r = Rec()
r["first"] = r["second"] = "v"
print(order)
p, q = r2 = (1, 2)
print(p, q, r2)
