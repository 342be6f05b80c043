# Augmented assignment: in-place on mutables, rebinding on immutables.
x = 10
x += 5; x -= 3; x *= 2; x //= 5; x %= 3; x **= 3
print(x)
y = 7.0
y /= 2
print(y)
a = [1]
b = a
a += [2, 3]
print(a, b, a is b)
t = (1,)
u = t
t += (2,)
print(t, u, t is u)
s = "ab"
s *= 3
print(s)
d = {"n": 1}
d["n"] += 10
print(d)
class C:
    pass
c = C()
c.v = 1
c.v += 41
print(c.v)
l = [[0]]
l[0][0] += 5
print(l)
calls = []
def idx():
    calls.append("idx")
    return 0
m = [100]
m[idx()] += 1
print(m, calls)
tl = ([1],)
try:
    tl[0] += [2]
except TypeError as e:
    print("TypeError:", e)
print(tl)
