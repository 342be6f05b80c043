# Uncaught error raised inside a lambda called by a built-in.
data = [4, 2, 0, 1]
print(list(map(lambda x: 8 // x, data[:2])))
print(list(map(lambda x: 8 // x, data)))
