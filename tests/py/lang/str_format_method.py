# str.format with positional, keyword, index, attribute and spec fields.
print("{} + {} = {}".format(1, 2, 3))
print("{1} {0} {1}".format("a", "b"))
print("{name} is {age}".format(name="Ann", age=30))
print("{0[0]} {0[1]} {d[k]}".format(["x", "y"], d={"k": "v"}))
class P:
    x = 3
print("{p.x}".format(p=P()))
print("{:>8}|{:<8}|{:^8}|".format("r", "l", "c"))
print("{:08.3f} {:+d} {:,} {:x} {:%}".format(3.14159, 5, 1234567, 255, 0.25))
print("{!r} {!s}".format("q", "q"))
print("{{}} {}".format("braces"))
print("{:{w}.{p}f}".format(2.71828, w=10, p=2))
try:
    "{} {}".format(1)
except IndexError as e:
    print("IndexError:", e)
try:
    "{x}".format(y=1)
except KeyError as e:
    print("KeyError:", e)
print(format(12.5, "e"), format("s", "^5"), format(7, "b"))
