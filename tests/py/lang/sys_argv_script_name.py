# sys.argv holds the script name as given on the command line.
import sys
print(sys.argv, len(sys.argv), type(sys.argv).__name__)
print(sys.argv[0].endswith(".py"))
