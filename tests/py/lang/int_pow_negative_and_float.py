# Power operator: right associativity, negative bases and exponents, floats.
print(2 ** 10, 2 ** 0, 0 ** 0)
print(2 ** 3 ** 2, (2 ** 3) ** 2)
print(-2 ** 2, (-2) ** 2, (-2) ** 3)
print(2 ** -1, 10 ** -2, (-2) ** -2)
print(2.0 ** 3, 4 ** 0.5, 2 ** 0.5)
print(type(2 ** 3).__name__, type(2 ** -3).__name__)
print(pow(2, 10), pow(2, 10, 1000), pow(3, -1, 7))
print(7 ** 50)
print((-8) ** 2.0, (-8.0) ** 3, (-2) ** -1.0, type((-8) ** 2.0).__name__)
print(1.5 ** 2, 10.0 ** -3)
x = 3
x **= 4
print(x)
