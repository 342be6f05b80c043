# An exception raised while handling another sets __context__ (uncaught).
def cleanup():
    return undefined_name
def work():
    data = {"a": 1}
    try:
        return data["b"]
    except KeyError:
        cleanup()
try:
    work()
except NameError as e:
    print(repr(e.__context__), e.__cause__, e.__suppress_context__)
work()
