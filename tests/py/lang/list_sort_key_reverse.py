# sort and sorted: key, reverse, stability, errors.
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=len, reverse=True))
pairs = [(2, "b"), (1, "z"), (2, "a"), (1, "y")]
print(sorted(pairs, key=lambda p: p[0]))
pairs.sort(reverse=True)
print(pairs)
nums = [5, -3, 2, -8, 0]
nums.sort(key=abs)
print(nums, nums.sort())
print(sorted([3.5, 1, 2.25, True]), sorted("hello"), sorted({3: 0, 1: 0}))
try:
    sorted([1, "a"])
except TypeError as e:
    print("TypeError:", e)
print(sorted([], reverse=True), sorted([[2, 1], [1, 2], [1]]))
