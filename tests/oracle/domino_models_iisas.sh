#!/usr/bin/env bash
# Golden schemas of tests/domino-models/cases/*.py for the `domino-py-iisas` generator, made by
# that reference (pydantic 2.11.7 through domino-py-iisas 1.0.50, installed into
# target/oracle/domino-iisas on first use).
#   tests/oracle/domino_models_iisas.sh          write tests/domino-models/golden-iisas/
#   tests/oracle/domino_models_iisas.sh --check  regenerate into a temp dir; fail on any difference
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-write}"
venv=target/oracle/domino-iisas
golden=tests/domino-models/golden-iisas
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "domino-py-iisas[cli]==1.0.50"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -W ignore tests/oracle/domino_models.py \
    tests/domino-models/cases "$work/golden"
if [ "$mode" = "--check" ]; then
    status=0
    for f in "$work"/golden/*.json; do
        name="$(basename "$f")"
        if ! cmp -s "$f" "$golden/$name"; then
            echo "golden differs from the reference: $golden/$name"
            diff "$golden/$name" "$f" | head -20 || true
            status=1
        fi
    done
    for f in "$golden"/*.json; do
        [ -e "$work/golden/$(basename "$f")" ] || { echo "golden without a case: $f"; status=1; }
    done
    exit $status
fi
mkdir -p "$golden"
rm -f "$golden"/*.json
cp "$work"/golden/*.json "$golden"/
echo "wrote $(ls "$golden" | wc -l) goldens"
