# isdigit, isdecimal, isnumeric, isalpha, isalnum, isspace, isidentifier, isprintable.
samples = ["123", "12.3", "", "abc", "abc123", " \t\n", "²", "½", "٣", "_x1", "1x", "Ab Cd", "a\x01"]
for s in samples:
    print(repr(s), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalpha(),
          s.isalnum(), s.isspace(), s.isidentifier(), s.isprintable(), s.isascii())
