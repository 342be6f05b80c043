# Comparison chains evaluate each operand once and short-circuit.
calls = []
def v(x):
    calls.append(x)
    return x
print(v(1) < v(2) < v(3), calls)
calls.clear()
print(v(3) < v(2) < v(1), calls)
calls.clear()
print(v(1) == v(1) != v(2), calls)
print(1 < 2 > 0, 1 < 2 < 2, 0 <= 0 <= 0)
x = 5
print(0 < x < 10, 10 < x < 20, x == 5 == 5.0)
print("a" < "b" < "c", [1] < [1, 0] < [2])
print((1, 2) < (1, 3), (1, 2) == (1, 2.0), (2,) > (1, 99))
print((1 < 2) is True, 1 < 2 == True)
print(None is None is not False)
