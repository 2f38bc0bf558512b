"""Golden JSON schemas of the static models.py reader, made by the reference.

Imports every tests/domino-models/cases/<name>.py (as domino-py 0.9.4 does, with pydantic
2.4.2; or domino-py-iisas with pydantic 2.11.7, whichever the running Python has) and writes
<out>/<name>.json = {"input_schema", "output_schema", "secrets_schema"} with
json.dump(indent=4), as `domino piece organize` writes compiled_metadata.json. A model whose
schema pydantic refuses (e.g. an unresolved forward reference under 2.11) is written as
{"error": "<exception type>"}: the static reader must refuse it too.

A case can also be a folder, <name>/, that stands for a repository's `pieces/` folder: it
holds one `<X>Piece/models.py` (or several, then `MainPiece/models.py` is the case) and the
other modules it imports. It is imported as
domino-py's `load_piece_models_from_path` does: the folder appended to `sys.path`, then
`import <X>Piece.models`.

usage: python domino_models.py CASES_DIR OUT_DIR
"""
import importlib.util
import json
import sys
from pathlib import Path


def schema_of(model):
    try:
        return model.model_json_schema()
    except Exception as error:  # noqa: BLE001 - recorded in the golden
        return {"error": type(error).__name__}


def main() -> int:
    cases, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in cases.iterdir() if p.suffix == ".py" or p.is_dir()):
        name = path.stem
        if path.is_dir():
            module = import_pieces_folder(path)
        else:
            spec = importlib.util.spec_from_file_location(f"domino_models_case_{name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        secrets = getattr(module, "SecretsModel", None)
        result = {
            "input_schema": schema_of(module.InputModel),
            "output_schema": schema_of(module.OutputModel),
            "secrets_schema": schema_of(secrets) if secrets is not None else None,
        }
        with open(out / f"{name}.json", "w") as f:
            json.dump(result, f, indent=4)
    return 0


def import_pieces_folder(folder: Path):
    """`<X>Piece.models` of a folder that stands for `pieces/`, as the reference imports it."""
    folder = folder.resolve()
    pieces = [p.name for p in folder.iterdir() if p.is_dir() and p.name.endswith("Piece")]
    (piece,) = ["MainPiece"] if "MainPiece" in pieces else pieces
    sys.path.append(str(folder))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(f"{piece}.models")
    finally:
        sys.path.remove(str(folder))
        # the next case may have modules of the same names
        for key, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            paths = list(getattr(module, "__path__", []) or [])
            if (file and Path(file).is_relative_to(folder)) or any(
                Path(p).is_relative_to(folder) for p in paths
            ):
                del sys.modules[key]


if __name__ == "__main__":
    sys.exit(main())
