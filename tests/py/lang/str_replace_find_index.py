# replace, find/rfind, index/rindex, count.
s = "the cat sat on the mat"
print(s.replace("at", "og"), s.replace("the", "a", 1), s.replace("", "-")[:10])
print(s.find("at"), s.find("at", 6), s.rfind("at"), s.find("dog"), s.find(""))
print(s.index("sat"), s.rindex("the"), s.count("at"), s.count(""), "aaaa".count("aa"))
try:
    s.index("dog")
except ValueError as e:
    print("ValueError:", e)
print(s.find("the", 1, 10), s.find("t", -3))
print("abc".replace("b", ""), "aaa".replace("a", "aa"))
