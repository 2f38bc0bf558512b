#!/usr/bin/env bash
# Golden schemas of tests/domino-models/cases/*.py, made by the reference (pydantic 2.4.2
# through domino-py 0.9.4, installed into target/oracle/domino on first use).
#   tests/oracle/domino_models.sh          write tests/domino-models/golden/
#   tests/oracle/domino_models.sh --check  regenerate into a temp dir; fail on any difference
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-write}"
venv=target/oracle/domino
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "domino-py[cli]==0.9.4"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -W ignore tests/oracle/domino_models.py \
    tests/domino-models/cases "$work/golden"
if [ "$mode" = "--check" ]; then
    status=0
    for f in "$work"/golden/*.json; do
        name="$(basename "$f")"
        if ! cmp -s "$f" "tests/domino-models/golden/$name"; then
            echo "golden differs from the reference: tests/domino-models/golden/$name"
            diff "tests/domino-models/golden/$name" "$f" | head -20 || true
            status=1
        fi
    done
    for f in tests/domino-models/golden/*.json; do
        [ -e "$work/golden/$(basename "$f")" ] || { echo "golden without a case: $f"; status=1; }
    done
    exit $status
fi
rm -f tests/domino-models/golden/*.json
cp "$work"/golden/*.json tests/domino-models/golden/
echo "wrote $(ls tests/domino-models/golden | wc -l) goldens"
