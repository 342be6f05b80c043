# Unary minus, plus, invert and not.
x = 5
print(-x, +x, ~x, not x)
print(-(-x), ~~x, not not x)
print(-0, -0.0, +(-2.5), -True, +True, ~True, ~False)
print(-(2 ** 70), ~(2 ** 70))
print(- - - 1, + + 1)
y = -x ** 2
print(y)
class N:
    def __neg__(self): return "neg"
    def __pos__(self): return "pos"
    def __invert__(self): return "inv"
n = N()
print(-n, +n, ~n, not n)
try:
    -"s"
except TypeError as e:
    print("TypeError:", e)
try:
    ~1.5
except TypeError as e:
    print("TypeError:", e)
