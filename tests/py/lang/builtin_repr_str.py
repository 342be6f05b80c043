# repr and str of built-in values.
values = [1, -2.5, "text", "it's", 'say "x"', "both ' and \"", b"b", None, True,
          [1, "a"], (1,), (), {"k": [1]}, set(), {3}, frozenset(), range(3), slice(2),
          1e100, float("nan"), 10 ** 25, "\n\t\\", "é", len, int, Ellipsis]
for v in values:
    print(repr(v), "|", str(v))
print(str(), repr(""), str("x" * 3))
