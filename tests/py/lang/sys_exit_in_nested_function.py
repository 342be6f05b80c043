# sys.exit with a non-int, non-str object prints its str on stderr, status 1.
import sys
def check(v):
    if v < 0:
        sys.exit(["bad value", v])
    return v
print(check(1))
check(-1)
