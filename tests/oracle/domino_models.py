"""Golden JSON schemas of the static models.py reader, made by the reference.

Imports every tests/domino-models/cases/<name>.py (as domino-py 0.9.4 does, with pydantic
2.4.2) and writes <out>/<name>.json = {"input_schema", "output_schema", "secrets_schema"}
with json.dump(indent=4), as `domino piece organize` writes compiled_metadata.json.

usage: python domino_models.py CASES_DIR OUT_DIR
"""
import importlib.util
import json
import sys
from pathlib import Path


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
            "input_schema": module.InputModel.model_json_schema(),
            "output_schema": module.OutputModel.model_json_schema(),
            "secrets_schema": secrets.model_json_schema() if secrets is not None else None,
        }
        with open(out / f"{name}.json", "w") as f:
            json.dump(result, f, indent=4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
