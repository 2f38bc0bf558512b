#!/usr/bin/env bash
# Golden schemas of tests/domino-models/cases/*.py for the `domino-py-iisas` generator, made by
# that reference (pydantic 2.11.7 through domino-py-iisas 1.0.50, installed into
# target/oracle/domino-iisas on first use).
#   tests/oracle/domino_models_iisas.sh          write tests/domino-models/golden-iisas/
#   tests/oracle/domino_models_iisas.sh --check  regenerate into a temp dir; fail on any difference
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/oracle/common.sh
oracle_venv target/oracle/domino-iisas "domino-py-iisas[cli]==1.0.50"
model_goldens target/oracle/domino-iisas tests/domino-models/golden-iisas "${1:-write}"
