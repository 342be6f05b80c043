# Uncaught KeyError: the repr of the key is shown.
config = {"host": "localhost", "port": 80}
print(config["host"])
print(config["user"])
