# Uncaught ZeroDivisionError from integer modulo in a nested expression.
a, b = 10, 0
print(a // 3)
print(a + (a % b) * 2)
