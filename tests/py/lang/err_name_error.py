# Uncaught NameError inside a function, with a suggestion.
def greet():
    message = "hi"
    print(mesage)
print("before")
greet()
