# upper, lower, capitalize, title, swapcase, casefold and predicates.
s = "hello WORLD, it's 42"
print(s.upper(), "|", s.lower(), "|", s.capitalize())
print(s.title(), "|", s.swapcase(), "|", "Straße".casefold(), "Straße".upper())
print("ABC".isupper(), "abc".islower(), "Abc".istitle(), "aBC".isupper(), "123".isupper())
print("ÉCOLE".lower(), "ǅ".upper(), "ﬁ".upper())
