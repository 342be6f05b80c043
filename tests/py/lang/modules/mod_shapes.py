# Helper module imported by import_helper_module.py and import_from_helper.py.
print("mod_shapes loading")
PI_ISH = 3
counter = 0

def area(r):
    return PI_ISH * r * r

class Square:
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side

def _private():
    return "private"

def bump():
    global counter
    counter += 1
    return counter
