# raise ... from ... sets __cause__; uncaught shows both tracebacks.
class ConfigError(Exception):
    pass
def parse(text):
    return int(text)
def load(text):
    try:
        return parse(text)
    except ValueError as e:
        raise ConfigError("bad config value: " + text) from e
try:
    load("x1")
except ConfigError as e:
    print(type(e.__cause__).__name__, e.__suppress_context__, e.__context__ is e.__cause__)
load("oops")
