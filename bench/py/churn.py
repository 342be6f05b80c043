# Churn: each round makes short-lived lists, dicts, tuples, instances and
# floats and drops them before the next; the check line sums what they held.
import sys


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)

    def dist2(self, other):
        dx = self.x - other.x
        dy = self.y - other.y
        return dx * dx + dy * dy


class Record:
    def __init__(self, key, values):
        self.key = key
        self.values = values
        self.total = 0.0


def floats(i):
    a = i * 0.25
    b = a / 3.0 + 1.5
    c = (a - b) * (a + b)
    return a + b - c * 0.001


def round_of(i):
    p = Point(i * 0.5, 1.0)
    q = p.moved(2.0, -0.5)
    d2 = p.dist2(q)
    pair = (i, d2, p)
    row = [i, i + 1, i + 2, d2]
    row.append(pair)
    table = {"key": i, "pair": pair, "row": row}
    table["n"] = len(row)
    rec = Record(i % 97, [v * 1.5 for v in row[:3]])
    for v in rec.values:
        rec.total += v
    counts = {}
    for k in (i % 3, i % 5, i % 3):
        counts[k] = counts.get(k, 0) + 1
    t = tuple(row[:3])
    a, b, c = t
    return d2 + rec.total + floats(i) + table["n"] + len(counts) + (a + b - c)


def main(n):
    acc = 0.0
    kept = []
    for i in range(n):
        acc += round_of(i)
        if i % 1000 == 0:
            kept.append((i, [i] * 3, {i: i}))
        if len(kept) > 50:
            kept = kept[25:]
    print(f"churn {n}: {acc:.6f} kept {len(kept)}")


main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
