# Chained three deep: each handler raises a new exception (uncaught).
try:
    try:
        [][0]
    except IndexError:
        {}["k"]
except KeyError as e:
    raise TypeError("third") from e
