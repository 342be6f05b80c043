# Ranges beyond machine integers: bounds, length, indexing, slicing,
# membership, iteration, reversal, equality and hashing with big ints.
B = 10 ** 20
rs = [range(B), range(-B, B, 3), range(B, -B, -7), range(B, B + 5), range(2 ** 63 - 2, 2 ** 63 + 2),
      range(-2 ** 62, 2 ** 62), range(B, 0), range(0, B, B), range(-(2 ** 64), -(2 ** 64) + 10, 2)]
for r in rs:
    print(r, bool(r), r.start, r.stop, r.step)
    try:
        print(len(r))
    except OverflowError as e:
        print("OverflowError:", e)
    try:
        print(r[0], r[-1], r[3] if r.step != B else None)
    except IndexError as e:
        print("IndexError:", e)
    print(r[::2], r[5:-5], r[::-1], r[1:B:B // 2], r[-3:])
    print(B - 3 in r, 0 in r, -B in r, 2 ** 63 in r, r.count(B - 1))
    it = iter(r)
    print([next(it, None) for _ in range(3)], type(it).__name__)
    print(list(reversed(r))[:3] if len(range(0)) == 0 and r.stop - r.start < 100 and r.stop - r.start > -100 else "")
print(range(B) == range(0, B), range(B, B) == range(0), range(B, B + 1) == range(B, B + 2, 5), range(B) != range(B + 1))
print(hash(range(B)) == hash(range(0, B, 1)), hash(range(B, B)) == hash(range(0)))
print(range(B).index(B - 1), range(-B, B, 3).index(-B + 30), range(B)[B - 1], range(5)[-5])
for bad in ["range(B)[B]", "range(B).index(-1)", "range(B)[::0]", "len(range(B))", "range(0, B, 0)"]:
    try:
        print(eval(bad))
    except Exception as e:
        print(type(e).__name__ + ":", e)
print(list(range(2 ** 63 - 2, 2 ** 63 + 2)), list(reversed(range(2 ** 64, 2 ** 64 + 3))))
print(sum(range(2 ** 70, 2 ** 70 + 100)), range(3)[1:2 ** 80], range(10)[-(2 ** 70):2 ** 70:3])
print(3.0 in range(B), range(B).index(7.0), range(-B, B, 3).index(-B + 3.0), range(B, B + 9).count(B + 2.0))
print(range(10)[::3], range(10)[8:1:-3], range(0, 20, 2)[1:100], range(5)[10:], range(5)[:-10:-1])
