# Shared by the Domino oracle scripts (sourced from the repository root).

# oracle_venv DIR REQUIREMENT: a virtual environment at DIR with REQUIREMENT installed,
# made on first use.
oracle_venv() {
    if [ ! -x "$1/bin/python" ]; then
        python3 -m venv "$1"
        "$1/bin/pip" install --quiet "$2"
    fi
}

# organize VENV REPO WORK OUT: copies the repository REPO to WORK/<name> (without its
# `.domino/`) and runs the reference's organize on it there, with the `source_url`
# configured for it in Cargo.toml; the group Dockerfiles go to OUT.
organize() {
    local venv="$1" repo="$2" work="$3" out="$4" name source_url
    name="$(basename "$repo")"
    source_url="$(python3 - "$name" <<'PY'
import sys, tomllib
meta = tomllib.load(open("Cargo.toml", "rb")).get("workspace", {}).get("metadata", {}).get("pieces", {})
print(meta.get("repositories", {}).get(sys.argv[1], {}).get("source_url", ""))
PY
)"
    cp -r "$repo" "$work/$name"
    rm -rf "$work/$name/.domino"
    PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" tests/oracle/domino_organize.py \
        "$work/$name" "$source_url" "$out" >"$work/$name.log" 2>&1 \
        || { cat "$work/$name.log"; echo "reference failed on $repo"; exit 1; }
}

# model_goldens VENV GOLDEN MODE: the schemas of tests/domino-models/cases made by the
# reference in VENV, written to GOLDEN, or (MODE --check) compared with it.
model_goldens() {
    local venv="$1" golden="$2" mode="$3" status=0 f name
    # global: the EXIT trap runs after the function has returned
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -W ignore tests/oracle/domino_models.py \
        tests/domino-models/cases "$work/golden"
    if [ "$mode" = "--check" ]; then
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
        return $status
    fi
    mkdir -p "$golden"
    rm -f "$golden"/*.json
    cp "$work"/golden/*.json "$golden"/
    echo "wrote $(ls "$golden" | wc -l) goldens"
}
