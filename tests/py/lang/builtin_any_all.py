# any/all: empty iterables, short-circuit, arbitrary truthiness.
print(any([]), all([]), any([0, "", None]), all([1, "a", [0]]))
print(any([0, 0.0, 1]), all([1, 1, 0]), any("abc"), all(""))
seen = []
def check(x):
    seen.append(x)
    return x > 2
print(any(check(x) for x in [1, 3, 5]), seen)
seen.clear()
print(all(check(x) for x in [3, 1, 5]), seen)
print(any(x > 10 for x in range(5)), all(isinstance(x, int) for x in [1, True]))
