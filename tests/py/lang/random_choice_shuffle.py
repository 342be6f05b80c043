# choice, shuffle, sample, choices with a fixed seed.
import random
random.seed(7)
items = list(range(10))
print(random.choice(items), random.choice("abcdef"))
random.shuffle(items)
print(items)
print(random.sample(range(100), 5), random.sample("abcdefg", 3))
print(random.choices("xyz", k=6), random.choices([1, 2, 3], weights=[10, 1, 1], k=5))
r = random.Random(99)
print(r.random(), r.randint(0, 9))
random.seed(7)
print(random.choice(list(range(10))))
try:
    random.choice([])
except IndexError as e:
    print("IndexError:", e)
