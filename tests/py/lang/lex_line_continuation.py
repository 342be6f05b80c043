# Backslash continuation and implicit joining inside brackets.
total = 1 + \
    2 + \
    3
print(total)
values = [
    1,
    2,   # comment inside brackets
    3,
]
print(values)
d = {
    "a": 1,
        "b": 2,
}
print(d)
result = (10
          * 2
          - 5)
print(result)
s = ("abc"
     "def")
print(s)
if (total > 1 and
        total < 10):
    print("in range")
def f(a,
      b=2,
      *args):
    return a + b
print(f(1,
        3))
