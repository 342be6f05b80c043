# Identity and membership operators.
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c)
print(None is None, type(None) is type(None))
print(2 in a, 3 in a, 3 not in a, not 3 in a)
print("ell" in "hello", "" in "abc", "x" not in "abc")
d = {"k": 1}
print("k" in d, 1 in d, 1 in d.values())
print((1, 2) in [(1, 2)], [1] in [[1]], 1.0 in [1])
print(5 in range(0, 10, 5), 6 in range(0, 10, 5), -1 in range(5))
s = {1, 2, 3}
print(2 in s, 4 in s, 2 in frozenset(s))
print(True in [1], 0 in [False])
