# Every string quote form: single, double, triple single, triple double.
a = 'single'
b = "double"
c = '''triple
single'''
d = """triple
double"""
print(a, b)
print(c)
print(d)
print('it\'s', "say \"hi\"", 'mixed "quotes"', "mixed 'quotes'")
print('''has ' and " inside''')
print("""ends with quote\"""")
e = """line one
    indented line
last"""
print(e.split("\n"))
print(len(''), len(""), len(''''''), len(""""""))
print(repr('a"b'), repr("a'b"), repr('a\'b"c'))
