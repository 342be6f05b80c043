# Exception objects: args, str/repr, subclass checks, instance attributes.
e = ValueError("msg", 2)
print(e.args, str(e), repr(e))
print(str(ValueError()), repr(ValueError()), str(ValueError("one")))
print(str(KeyError("k")), repr(KeyError("k")), str(KeyError("a", "b")))
print(issubclass(KeyError, LookupError), issubclass(IndexError, LookupError))
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(OverflowError, ArithmeticError))
print(issubclass(ModuleNotFoundError, ImportError), issubclass(UnboundLocalError, NameError))
print(issubclass(RecursionError, RuntimeError), issubclass(NotImplementedError, RuntimeError))
print(issubclass(StopIteration, Exception), issubclass(KeyboardInterrupt, Exception))
print(issubclass(SystemExit, BaseException), issubclass(GeneratorExit, Exception))
print([c.__name__ for c in FileNotFoundError.__mro__])
try:
    {}["x"]
except LookupError as err:
    print(type(err).__name__, err.args, err.__traceback__ is not None)
class MyErr(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code
try:
    raise MyErr(404)
except MyErr as err:
    print(err, err.code, err.args)
e2 = StopIteration(5)
print(e2.value, OSError(2, "No such file").errno, OSError(2, "No such file").strerror)
print(str(OSError(2, "No such file")))
