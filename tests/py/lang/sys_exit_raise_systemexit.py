# raise SystemExit(n) directly, from inside a function; exit status 7.
def main():
    print("main running")
    raise SystemExit(7)
try:
    main()
finally:
    print("cleanup")
