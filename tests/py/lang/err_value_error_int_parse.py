# Uncaught ValueError from int().
values = ["10", "20", "thirty"]
numbers = []
for v in values:
    numbers.append(int(v))
    print("parsed", v)
