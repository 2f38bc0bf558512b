#!/usr/bin/env bash
# Differential test of the Dioptra import bundles: `cargo xtask build-all` on pieces-repos/,
# then every dist/dioptra/<repo>/<config>.tar.gz is unpacked and imported into Dioptra 1.2.2
# (in-process, tests/oracle/dioptra_oracle.py) with the config path its manifest names.
# Fails unless every bundle imports with HTTP 200.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/oracle/dioptra
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "dioptra-platform==1.2.2"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CI=true cargo xtask build-all --quiet --dist "$work/dist"
args=()
for manifest in "$work"/dist/dioptra/*/*.manifest.json; do
    bundle="${manifest%.manifest.json}.tar.gz"
    name="$(basename "$(dirname "$manifest")")-$(basename "${manifest%.manifest.json}")"
    config="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"])' "$manifest")"
    mkdir -p "$work/unpacked/$name"
    tar xzf "$bundle" -C "$work/unpacked/$name"
    args+=("$work/unpacked/$name::$config")
done
"$venv/bin/python" tests/oracle/dioptra_oracle.py "${args[@]}" --out "$work/verdicts.json"
python3 - "$work/verdicts.json" <<'PY'
import json, sys
verdicts = json.load(open(sys.argv[1]))
bad = {k: v for k, v in verdicts.items() if v["status"] != 200}
for name, verdict in sorted(verdicts.items()):
    print(f"{verdict['status']}  {name.split('/unpacked/')[-1]}")
if bad:
    print(f"{len(bad)} bundle(s) refused by Dioptra 1.2.2", file=sys.stderr)
    sys.exit(1)
print(f"all {len(verdicts)} bundles import into Dioptra 1.2.2")
PY
