#!/usr/bin/env bash
# Runs one tests/cli case (its file name is $1) with $INTERP set to the
# interpreter in $CLI_INTERP; see tests/cli/README.md.
INTERP=$CLI_INTERP exec bash "$1"
