# sys.exit() and sys.exit(0) exit with status 0; SystemExit is catchable.
import sys
try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit", e.code, type(e.code).__name__)
try:
    sys.exit()
except SystemExit as e:
    print("code", e.code)
try:
    sys.exit(0)
except Exception:
    print("not an Exception subclass")
except BaseException as e:
    print("BaseException caught", e.code, issubclass(SystemExit, Exception))
print("exiting normally")
sys.exit(None)
