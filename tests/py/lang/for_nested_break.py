# break only leaves the innermost loop.
for i in range(3):
    for j in range(3):
        if j == 1:
            break
        print(i, j)
    else:
        print("inner else", i)
    print("after inner", i)
found = None
for i in range(5):
    for j in range(5):
        if i * j == 6:
            found = (i, j)
            break
    else:
        continue
    break
print(found)
def first_pair():
    for i in range(4):
        for j in range(4):
            if i + j == 5:
                return i, j
print(first_pair())
