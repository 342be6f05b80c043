# Uncaught ModuleNotFoundError.
import sys
print("sys is fine")
import no_such_module_here
