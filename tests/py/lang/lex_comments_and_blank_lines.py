#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Comments and blank lines are ignored anywhere.

x = 1  # trailing comment


    # an indented comment line is fine
def f():
    # comment in body

    return x  # comment

        # over-indented comment

print(f())
s = "# not a comment"
print(s)
if x:
# comment at column zero inside block
    print("block")
