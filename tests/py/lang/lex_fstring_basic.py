# f-strings: expressions, nested quotes, repr/str conversions, braces.
name = "world"
n = 42
items = [1, 2, 3]
print(f"hello {name}!")
print(F"{n} + 1 = {n + 1}")
print(f"{items[1]} {items[-1]} {len(items)}")
print(f"{name!r} {name!s} {'x'!r}")
print(f"{{literal braces}} {n}")
print(f'{"inner double"}', f"{'inner single'}")
d = {"k": "v"}
print(f"{d['k']}")
print(f"{n * 2 if n > 10 else 0}")
print(f"""{name}
{n}""")
print(fr"\n{n}", rf"{name}\t")
print(f"{3.5}", f"{None}", f"{True}")
print(f"{'a' 'b'}")
x = 5
print(f"{x=}", f"{x + 1 = }")
