#!/usr/bin/env bash
# Golden verdicts of Dioptra 1.2.2 for tests/dioptra-corpus.
#
#   tests/oracle/dioptra_verdicts.sh            regenerate the cases, re-run Dioptra, rewrite
#                                               verdicts.json (expected/rule/extra are kept)
#   tests/oracle/dioptra_verdicts.sh --check    re-run Dioptra over the committed cases; exit 1
#                                               if any status differs from verdicts.json
#   tests/oracle/dioptra_verdicts.sh --examples import the Dioptra repositories of pieces-repos/
#
# The virtual environment (target/oracle/dioptra, dioptra-platform==1.2.2) is created on first
# use (needs PyPI once, about 70 s); everything after that runs offline, in under a minute.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${DIOPTRA_ORACLE_VENV:-$ROOT/target/oracle/dioptra}"
PY="$VENV/bin/python"
ORACLE="$ROOT/tests/oracle/dioptra_oracle.py"
CORPUS="$ROOT/tests/dioptra-corpus"

if ! "$PY" -c 'import importlib.metadata as m, sys; sys.exit(m.version("dioptra-platform") != "1.2.2")' 2>/dev/null; then
    echo "installing dioptra-platform==1.2.2 into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check dioptra-platform==1.2.2
fi

export MLFLOW_ALLOW_FILE_STORE=true
export PYTHONHASHSEED=0  # Dioptra prints Python sets in some messages

case "${1:-}" in
    --check)
        exec "$PY" "$ORACLE" --verdicts "$CORPUS" --check
        ;;
    --examples)
        exec "$PY" "$ORACLE" --translate-seed \
            "$ROOT/pieces-repos/vision-robustness-dioptra" \
            "$ROOT/pieces-repos/tabular-audit-dioptra" \
            "$ROOT/pieces-repos/tabular-audit-dioptra::extra/dioptra_optic.toml"
        ;;
    "")
        python3 "$ROOT/tests/oracle/make_dioptra_corpus.py"
        exec "$PY" "$ORACLE" --verdicts "$CORPUS"
        ;;
    *)
        echo "usage: $0 [--check|--examples]" >&2
        exit 2
        ;;
esac
