# str.split/rsplit/splitlines and join.
s = "  a  b   c  "
print(s.split(), s.split(" "), s.split(None, 1))
print("a,b,,c".split(","), "a,b,,c".split(",", 2), "a,b,c".rsplit(",", 1))
print("".split(), "".split(","), "abc".split("abc"))
print("one\ntwo\r\nthree\n".splitlines(), "x\ny\n".splitlines(True))
print("-".join(["a", "b", "c"]), "".join("xyz"), ", ".join([]))
print(" ".join(str(i) for i in range(4)))
try:
    "-".join([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    "a".split("")
except ValueError as e:
    print("ValueError:", e)
print("k=v=w".partition("="), "k=v=w".rpartition("="), "kv".partition("="))
