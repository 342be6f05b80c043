# global rebinds module-level names from inside functions.
count = 0
def bump():
    global count
    count += 1
def read():
    return count
bump(); bump()
print(count, read())
def create():
    global created
    created = "new global"
create()
print(created)
def shadow():
    count = 99
    return count
print(shadow(), count)
x = "module"
def nested():
    x = "local"
    def inner():
        global x
        x = "changed by inner"
    inner()
    return x
print(nested(), x)
print("created" in globals())
