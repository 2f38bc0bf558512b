"""Golden JSON schemas of the static models.py reader, made by the reference.

Imports every tests/domino-models/cases/<name>.py (as domino-py 0.9.4 does, with pydantic
2.4.2; or domino-py-iisas with pydantic 2.11.7, whichever the running Python has) and writes
<out>/<name>.json = {"input_schema", "output_schema", "secrets_schema"} with
json.dump(indent=4), as `domino piece organize` writes compiled_metadata.json. A model whose
schema pydantic refuses (e.g. an unresolved forward reference under 2.11) is written as
{"error": "<exception type>"}: the static reader must refuse it too.

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
    for path in sorted(cases.glob("*.py")):
        name = path.stem
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


if __name__ == "__main__":
    sys.exit(main())
