#!/usr/bin/env bash
# Golden `.domino/` files of every Domino repository in pieces-repos/, made by the reference
# (domino-py 0.9.4, installed into target/oracle/domino on first use).
#   tests/oracle/domino_goldens.sh          write pieces-repos/*/.domino and tests/goldens/domino/
#   tests/oracle/domino_goldens.sh --check  regenerate into a temp dir; fail on any difference
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-write}"
. tests/oracle/common.sh
venv=target/oracle/domino
oracle_venv "$venv" "domino-py[cli]==0.9.4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for config in pieces-repos/*/config.toml; do
    repo="$(dirname "$config")"
    name="$(basename "$repo")"
    organize "$venv" "$repo" "$work" "$work/dockerfiles/$name"
    if [ "$mode" = "--check" ]; then
        for f in compiled_metadata.json dependencies_map.json; do
            if ! cmp -s "$work/$name/.domino/$f" "$repo/.domino/$f"; then
                echo "golden differs from the reference: $repo/.domino/$f"
                diff <(python3 -m json.tool "$repo/.domino/$f" 2>/dev/null || cat "$repo/.domino/$f") \
                     <(python3 -m json.tool "$work/$name/.domino/$f") | head -20 || true
                status=1
            fi
        done
        if ! diff -r "$work/dockerfiles/$name" "tests/goldens/domino/$name" >/dev/null; then
            echo "golden Dockerfiles differ from the reference: tests/goldens/domino/$name"
            status=1
        fi
    else
        mkdir -p "$repo/.domino" "tests/goldens/domino/$name"
        cp "$work/$name/.domino/compiled_metadata.json" "$work/$name/.domino/dependencies_map.json" "$repo/.domino/"
        rm -f "tests/goldens/domino/$name"/*.Dockerfile
        cp "$work/dockerfiles/$name"/*.Dockerfile "tests/goldens/domino/$name/"
        echo "wrote $repo/.domino and tests/goldens/domino/$name"
    fi
done
exit $status
