# Uncaught UnboundLocalError: assignment later in the function makes the name local.
total = 10
def add(n):
    total = total + n
    return total
print("calling")
add(5)
