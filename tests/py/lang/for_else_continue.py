# for with continue, break and else.
def find(items, target):
    for i, x in enumerate(items):
        if x == target:
            print("found at", i)
            break
    else:
        print("not found")
find([1, 2, 3], 2)
find([1, 2, 3], 5)
find([], 1)
for c in "abcdef":
    if c in "bd":
        continue
    print(c, end=" ")
print()
for x in range(3):
    pass
print("x after loop", x)
for k in {"a": 1, "b": 2}:
    print(k)
for a, b in [(1, 2), (3, 4)]:
    print(a + b)
items = [1, 2, 3]
for it in items:
    if it == 1:
        items.append(4)
print(items)
