# Adjacent string literals are concatenated at compile time.
s = "abc" 'def' """ghi"""
print(s, len(s))
t = ("one "
     "two "
     'three')
print(t)
print("a" "b" == "ab")
print(b"x" b"y")
print(f"{1}" "2" f"{3}")
