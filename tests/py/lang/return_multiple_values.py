# return without value, with a tuple, and from inside loops/try.
def nothing():
    return
def implicit():
    pass
def pair():
    return 1, "two"
def early(xs):
    for x in xs:
        if x < 0:
            return x
    return None
def in_try():
    try:
        return "try"
    finally:
        print("finally runs before return completes")
print(nothing(), implicit())
a, b = pair()
print(a, b, pair())
print(early([1, -2, -3]), early([1]))
print(in_try())
