# An exception bound with "as" is cleared at the end of the except block.
import sys
payload = ["data"]
def fail(x):
    raise ValueError(x)
base = sys.getrefcount(payload)
try:
    fail(payload)
except ValueError as e:
    print("in handler, args hold it:", sys.getrefcount(payload) - base >= 1)
print("after handler:", sys.getrefcount(payload) - base)
print("name e cleared:", "e" not in globals())
