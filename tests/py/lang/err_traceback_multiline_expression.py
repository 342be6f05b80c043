# Tracebacks for errors in expressions spanning several lines.
def compute(a, b):
    return (a * 2 +
            b / 0)
values = {
    "x": compute(1,
                 2),
}
