# A script whose bytes are not UTF-8: SyntaxError naming the byte, the file
# and the line, and nothing of the script runs.
"$INTERP" bad_utf8_source.py
