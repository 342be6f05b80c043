# range: arguments, len, indexing, slicing, membership, equality.
print(list(range(5)), list(range(2, 8)), list(range(10, 0, -3)), list(range(0)))
r = range(3, 20, 4)
print(r, len(r), r[0], r[-1], r[1:3], r.index(11), r.count(7))
print(11 in r, 12 in r, list(reversed(r)))
print(range(0) == range(5, 2), range(0, 3) == range(3), range(1, 10, 2) == range(1, 11, 2))
print(len(range(-5, 5, 2)), list(range(5, -5, -4)))
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    range(1.5)
except TypeError as e:
    print("TypeError:", e)
big = range(10 ** 20)
print(big[-1], 10 ** 19 in big, big.stop == 10 ** 20)
try:
    len(big)
except OverflowError as e:
    print("OverflowError:", e)
print(r.start, r.stop, r.step, bool(range(0)))
