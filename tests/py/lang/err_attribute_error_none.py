# Uncaught AttributeError on None.
def find(items, target):
    for it in items:
        if it == target:
            return it
result = find(["a", "b"], "z")
print(result.upper())
