# Uncaught ImportError for a missing name in a built-in module.
from sys import getrefcount
print(callable(getrefcount))
from sys import no_such_function
