# Uncaught TypeError calling len() on an int and unhashable dict key.
try:
    d = {[1]: 2}
except TypeError as e:
    print("TypeError:", e)
n = 42
print(len(n))
