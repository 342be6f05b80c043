# Uncaught error deep in a call chain: one traceback entry per frame.
def level3(x):
    return x["key"]
def level2(x):
    return level3(x) + 1
def level1(x):
    y = level2(x)
    return y
class Runner:
    def run(self):
        return level1([])
Runner().run()
