# Uncaught custom exception with __str__ and no args.
class Empty(Exception):
    pass
class Fancy(Exception):
    def __str__(self):
        return "fancy message"
try:
    raise Empty
except Empty as e:
    print(repr(str(e)), repr(e))
raise Fancy("ignored arg")
