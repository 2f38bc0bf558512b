#!/usr/bin/env bash
# Golden `.domino/` files and Dockerfiles of every Domino repository in pieces-repos/ for the
# `domino-py-iisas` generator, made by that reference (domino-py-iisas 1.0.50 with pydantic
# 2.11.7, installed into target/oracle/domino-iisas on first use) through the same driver as
# domino_goldens.sh (tests/oracle/domino_organize.py).
#   tests/oracle/domino_goldens_iisas.sh          write tests/goldens/domino-iisas/<repo>/
#   tests/oracle/domino_goldens_iisas.sh --check  regenerate into a temp dir; fail on any difference
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/oracle/common.sh
mode="${1:-write}"
venv=target/oracle/domino-iisas
goldens=tests/goldens/domino-iisas
oracle_venv "$venv" "domino-py-iisas[cli]==1.0.50"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for config in pieces-repos/*/config.toml; do
    repo="$(dirname "$config")"
    name="$(basename "$repo")"
    out="$work/out/$name"
    organize "$venv" "$repo" "$work" "$out"
    cp "$work/$name/.domino/compiled_metadata.json" "$work/$name/.domino/dependencies_map.json" "$out/"
    if [ "$mode" = "--check" ]; then
        if ! diff -r "$out" "$goldens/$name" >/dev/null; then
            echo "golden differs from the reference: $goldens/$name"
            diff -r "$goldens/$name" "$out" | head -20 || true
            status=1
        fi
    else
        rm -rf "${goldens:?}/$name"
        mkdir -p "$goldens"
        cp -r "$out" "$goldens/$name"
        echo "wrote $goldens/$name"
    fi
done
exit $status
