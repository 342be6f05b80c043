# print: sep, end, file, flush, multiple and zero arguments.
import sys
print()
print("a", "b", "c")
print("a", "b", "c", sep="")
print("a", "b", sep=" -> ", end=" <end>\n")
print(1, 2, 3, sep=None, end=None)
print("no newline", end="")
print(" continued")
print("to stdout explicitly", file=sys.stdout)
print("to stderr", file=sys.stderr)
print("flushed", flush=True)
print(*range(5), sep=",")
print([1, "two"], (3,), {"k": None}, sep=" | ")
try:
    print("x", sep=5)
except TypeError as e:
    print("TypeError:", e)
class W:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
w = W()
print("captured", 42, file=w)
print(w.parts)
