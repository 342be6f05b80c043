# round: banker's rounding for halves, ndigits (also negative), float representation.
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(-1.5))
print(round(3.14159, 2), round(2.675, 2), round(1.005, 2), round(0.125, 2))
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2))
print(round(7), round(7.0), type(round(7.0)).__name__, type(round(7.0, 1)).__name__)
print(round(12345.6789, -1), round(1e20, -19), round(5, 1))
try:
    round(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    round(float("nan"))
except ValueError as e:
    print("ValueError:", e)
