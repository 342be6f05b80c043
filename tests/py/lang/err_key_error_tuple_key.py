# Uncaught KeyError with a tuple key.
table = {(0, 0): "origin"}
print(table[0, 0])
table[(1, 2)]
