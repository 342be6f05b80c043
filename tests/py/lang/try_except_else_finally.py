# try/except/else/finally flow in every combination.
def run(action):
    log = []
    try:
        log.append("try")
        if action == "raise":
            raise ValueError("v")
        if action == "key":
            {}["missing"]
    except ValueError as e:
        log.append("except ValueError " + str(e))
    except (KeyError, IndexError) as e:
        log.append("except tuple " + type(e).__name__)
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log
print(run("ok"))
print(run("raise"))
print(run("key"))
def unbound_after():
    try:
        raise TypeError("x")
    except TypeError as err:
        pass
    return "err" in locals()
print(unbound_after())
try:
    try:
        raise KeyError("inner")
    finally:
        print("inner finally")
except KeyError as e:
    print("outer caught", repr(e))
try:
    1 / 0
except Exception as e:
    print(type(e).__name__, isinstance(e, ArithmeticError))
