# if/elif/else chains and truthiness of various values.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"
for n in [-3, 0, 4, 99]:
    print(n, classify(n))
for v in [0, 1, "", "a", [], [0], {}, {0: 0}, None, 0.0, 1e-9, (), range(0), range(1)]:
    if v:
        print(repr(v), "truthy")
    else:
        print(repr(v), "falsy")
if 0:
    pass
elif 0:
    pass
print("done")
