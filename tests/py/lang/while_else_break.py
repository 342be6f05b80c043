# while with break, continue and else.
i = 0
while i < 5:
    i += 1
    if i == 2:
        continue
    print("i", i)
else:
    print("while completed, i =", i)
n = 0
while True:
    n += 1
    if n >= 3:
        break
print("n", n)
k = 10
while k > 0:
    if k == 7:
        print("breaking at", k)
        break
    k -= 1
else:
    print("not printed")
while False:
    print("never")
else:
    print("else of empty while")
