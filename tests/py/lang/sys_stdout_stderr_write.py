# sys.stdout.write / sys.stderr.write return the count and don't add newlines.
import sys
n = sys.stdout.write("written without newline")
sys.stdout.write("\n")
print("write returned", n)
sys.stderr.write("error stream line\n")
print("before", file=sys.stderr)
sys.stdout.write("a" + "b" + "\n")
print(sys.stdout is sys.__stdout__, sys.stderr is sys.__stderr__)
old = sys.stdout
class Upper:
    def write(self, s):
        old.write(s.upper())
sys.stdout = Upper()
print("redirected print")
sys.stdout = old
print("restored")
