# Case mapping and character classes beyond Latin: full mappings (ß, ligatures,
# İ), titlecase digraphs, Greek final sigma, Cherokee, Deseret, digits of other scripts.
words = ["ΌΣΟΣ ΣΑΣ", "ὈΔΥΣΣΕΎΣ", "İstanbul", "ǅemal ǈ ǋ", "ﬃ ﬅ ŉ ΐ", "Ǳ dz", "aΣ.b", "Σ", "AΣ'",
         "ǰ ẖ ß ﬀ", "ᾈ ᾳ ῼ", "ꭰ Ꭰ", "𐐀 𐐨", "straße", "ⓐⒶ", "ᏸ", "ǈ", "hello ΣΣ world", "123abc_ΑΒΓ"]
for w in words:
    print(w.upper(), w.lower(), w.title(), w.capitalize(), w.swapcase(), w.casefold())
    print(w.isupper(), w.islower(), w.istitle(), w.isalpha(), w.isidentifier(), w.isprintable())
for s in ["١٢٣", "²", "½", "Ⅻ", "\u3000", "\u200b", "\xa0", "\x1c", "𝟘", "ab\u0301", "\U0001F600", "\u0378"]:
    print(repr(s), s.isdecimal(), s.isdigit(), s.isnumeric(), s.isspace(), s.isalnum(), s.isprintable(), s.isidentifier())
