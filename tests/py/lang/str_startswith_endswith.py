# startswith/endswith with tuples and bounds.
name = "report_2023.csv"
print(name.startswith("report"), name.endswith(".csv"), name.endswith((".txt", ".csv")))
print(name.startswith("2023", 7), name.startswith("rep", 0, 2), name.endswith("report", 0, 6))
print("".startswith(""), "abc".startswith(""), "abc".endswith("abc"))
try:
    name.startswith(["report"])
except TypeError as e:
    print("TypeError:", e)
