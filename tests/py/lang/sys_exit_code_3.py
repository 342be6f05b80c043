# sys.exit(3): finally blocks run, exit status 3, no traceback.
import sys
try:
    print("exiting with 3")
    sys.exit(3)
finally:
    print("finally still runs")
print("not reached")
