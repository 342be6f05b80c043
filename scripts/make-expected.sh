#!/usr/bin/env bash
# Regenerates tests/py/**/NAME.expected by running NAME.py under CPython 3.11.
# Scripts in tests/py/tally-only/ use tally-only features: their golden files
# are checked by hand and are not regenerated here.
set -eu
PY=${1:-python3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' ||
    { echo "make expected needs CPython 3.11 (got: $("$PY" --version))" >&2; exit 1; }
. "$ROOT/scripts/expected-format.sh"
n=0
while IFS= read -r py; do
    run_and_format "$PY" "$py" > "${py%.py}.expected"
    n=$((n + 1))
done < <(find "$ROOT/tests/py" -name '*.py' -not -path '*/tally-only/*' -not -path '*/modules/*' | sort)
PYABS=$(command -v "$PY")
for c in "$ROOT"/tests/cli/*.sh; do
    run_cli_case "$PYABS" "$c" > "${c%.sh}.expected"
    n=$((n + 1))
done
echo "regenerated $n expected files with $("$PY" --version)"
