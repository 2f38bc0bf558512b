#!/usr/bin/env bash
# Golden schemas of tests/domino-models/cases/*.py, made by the reference (pydantic 2.4.2
# through domino-py 0.9.4, installed into target/oracle/domino on first use).
#   tests/oracle/domino_models.sh          write tests/domino-models/golden/
#   tests/oracle/domino_models.sh --check  regenerate into a temp dir; fail on any difference
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/oracle/common.sh
oracle_venv target/oracle/domino "domino-py[cli]==0.9.4"
model_goldens target/oracle/domino tests/domino-models/golden "${1:-write}"
