# input() with stdin at end of file raises EOFError (prompt still written).
try:
    line = input("prompt> ")
    print("got", repr(line))
except EOFError as e:
    print()
    print("EOFError:", repr(str(e)))
print("after input")
