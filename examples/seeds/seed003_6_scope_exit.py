# Seed 003, example 6: a local variable's reference is released when the function returns.
def scope():
    x = 1
    print(id(x) == id(1))

scope()
# prints the id of x; after the function returns, x's reference is gone
