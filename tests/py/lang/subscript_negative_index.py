# Negative indices count from the end.
a = [10, 20, 30, 40]
print(a[-1], a[-4], a[len(a) - 1])
s = "hello"
print(s[-1], s[-5], s[0])
t = (1, 2, 3)
print(t[-2])
a[-1] = 99
print(a)
del a[-2]
print(a)
for i in [-5, 4]:
    try:
        print(a[i])
    except IndexError as e:
        print("IndexError:", e)
try:
    s[10]
except IndexError as e:
    print("IndexError:", e)
try:
    t[-4]
except IndexError as e:
    print("IndexError:", e)
print(range(5)[-1], range(0, 20, 5)[-2])
