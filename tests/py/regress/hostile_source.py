# Source nested past the compiler's limits gets a clear SyntaxError,
# IndentationError, RecursionError or MemoryError, never a crash; code just
# inside the limits runs.
def attempt(label, src):
    try:
        exec(src, {"x": 0})
        print(label, "ran")
    except (SyntaxError, RecursionError, MemoryError) as e:
        print(label, type(e).__name__, e.args[0] if e.args else "")


def nested(header, n):
    lines = [" " * i + header for i in range(n)]
    lines.append(" " * n + "pass")
    return "\n".join(lines) + "\n"


attempt("parens 100", "x = " + "(" * 100 + "1" + ")" * 100)
attempt("parens 300", "x = " + "(" * 300 + "1" + ")" * 300)
attempt("brackets 300", "x = " + "[" * 300 + "]" * 300)
attempt("braces 1000", "x = " + "{" * 1000 + "}" * 1000)
attempt("unary 100000", "x = " + "-" * 100000 + "1")
attempt("operators 100000", "x = " + "+".join(["1"] * 100000))
attempt("calls 5000", "x = f" + "()" * 5000)
attempt("attributes 5000", "x = a" + ".b" * 5000)
attempt("lambdas 500", "x = " + "lambda: " * 500 + "1")
attempt("if 50", nested("if x:", 50))
attempt("if 101", nested("if x:", 101))
attempt("while 20", nested("while x:", 20))
attempt("while 21", nested("while x:", 21))
attempt("for 25", nested("for i in x:", 25))
attempt("with 30", nested("with x:", 30))
attempt("def 99", nested("def f():", 99))
