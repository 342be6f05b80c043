# open() for text write, append, read, readline(s), iteration.
# The file is created beside the script and truncated/emptied at the end.
NAME = "builtin_open_text_rw.tmp"
with open(NAME, "w") as f:
    n = f.write("first line\n")
    f.write("second line\n")
    print("wrote", n, f.closed)
print("closed after with:", f.closed)
with open(NAME, "a") as f:
    f.write("third\n")
with open(NAME) as f:
    print(repr(f.read()))
with open(NAME, "r") as f:
    print(repr(f.readline()), repr(f.readline()))
    print(f.readlines())
    print(repr(f.readline()))
with open(NAME) as f:
    for i, line in enumerate(f):
        print(i, line.rstrip("\n"))
f = open(NAME, "w")
print(f.write("x" * 5), f.name, f.mode)
f.close()
with open(NAME) as f:
    print(f.read(2), f.read())
try:
    open("no_such_dir_for_test/file.txt")
except FileNotFoundError as e:
    print("FileNotFoundError:", e.errno, e.strerror, e.filename)
try:
    f.read()
except ValueError as e:
    print("ValueError:", e)
with open(NAME, "w") as f:
    print(*["a", "b"], sep=",", file=f)
with open(NAME) as f:
    print(repr(f.read()))
# No os module in the subset, so the scratch file cannot be removed: leave it empty
# (tests/py/.gitignore ignores *.tmp).
open(NAME, "w").close()
with open(NAME) as f:
    print("final size", len(f.read()))
