KIND = type(__builtins__).__name__
