#!/usr/bin/env python3
"""Writes tests/dioptra-corpus/cases/: small Dioptra resource repositories.

Every case is a mutation of one of two small valid bases (one per dialect) with ONE broken
(or notable) thing. The intended verdict of each case (expected / rule) goes to
tests/dioptra-corpus/manifest.json; tests/oracle/dioptra_verdicts.sh then asks Dioptra 1.2.2
and writes tests/dioptra-corpus/verdicts.json.

    python3 tests/oracle/make_dioptra_corpus.py          # (re)write every case
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "dioptra-corpus"
CASES = CORPUS / "cases"

# --------------------------------------------------------------------------- bases

TASKS_PY = '''"""Small numeric tasks."""

from __future__ import annotations

from typing import Any

from dioptra import pyplugs


@pyplugs.register
def load(
    path: str,
    size: int = 8,
    columns: list[str] | None = None,
    options: dict[str, Any] | None = None,
    strict: bool = False,
) -> list[float]:
    """Pretend to read `size` values from `path`."""
    if strict and not columns:
        raise ValueError("strict loading needs columns")
    return [float(i) for i in range(size)]


@pyplugs.register
def scale(values: list[float], factor: float) -> list[float]:
    return [v * factor for v in values]


@pyplugs.register
def summarize(values: list[float], label: str = "run") -> dict[str, Any]:
    return {"label": label, "total": sum(values)}
'''

WRITERS_PY = '''"""Artifact tasks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dioptra.sdk.api.artifact import ArtifactTaskInterface


class JsonStore(ArtifactTaskInterface):
    @staticmethod
    def serialize(working_dir: Path, name: str, contents: Any, **kwargs) -> Path:
        path = working_dir / f"{name}.json"
        path.write_text(json.dumps(contents))
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        return json.loads((working_dir / path).read_text())

    @staticmethod
    def validation() -> dict[str, Any]:
        return {}
'''

TYPES_TOML = '''[[plugin_param_types]]
name = "vector"
structure = { list = "number" }

[[plugin_param_types]]
name = "column_list"
structure = { list = "string" }

[[plugin_param_types]]
name = "summary"
structure = { mapping = { label = "string", total = "number" } }
'''

LOAD_INPUTS = '''input_params = [
    { name = "path", type = "string", required = true },
    { name = "size", type = "integer" },
    { name = "columns", type = "column_list" },
    { name = "options", type = "any" },
    { name = "strict", type = "boolean" },
]'''

TASKS_BODY = '''filename = "tasks.py"
name = "load"
LOAD_INPUTS
output_params = [{ name = "values", type = "vector" }]

[[TASKS]]
filename = "tasks.py"
name = "scale"
input_params = [
    { name = "values", type = "vector", required = true },
    { name = "factor", type = "number", required = true },
]
output_params = [{ name = "values", type = "vector" }]

[[TASKS]]
filename = "tasks.py"
name = "summarize"
input_params = [
    { name = "values", type = "vector", required = true },
    { name = "label", type = "string" },
]
output_params = [{ name = "summary", type = "summary" }]
'''.replace("LOAD_INPUTS", LOAD_INPUTS)

PARAMS_TOML = '''
[[entrypoints.params]]
name = "path"
type = "string"
default_value = "/data/values.csv"

[[entrypoints.params]]
name = "size"
type = "integer"
default_value = "8"

[[entrypoints.params]]
name = "columns"
type = "list"
default_value = '["a", "b"]'

[[entrypoints.params]]
name = "options"
type = "mapping"
default_value = '{"sep": ","}'

[[entrypoints.params]]
name = "strict"
type = "boolean"
default_value = "false"

[[entrypoints.params]]
name = "factor"
type = "float"
default_value = "2.5"

[[entrypoints.params]]
name = "label"
type = "string"
default_value = "baseline"
'''

CURRENT_TOML = (
    "# Corpus base, Dioptra 1.1+ dialect.\n\n"
    + TYPES_TOML
    + '''
[[plugins]]
path = "plugins/core"
description = "Numeric tasks"

[[plugins.tasks.functions]]
'''
    + TASKS_BODY.replace("[[TASKS]]", "[[plugins.tasks.functions]]")
    + '''
[[plugins]]
path = "plugins/store"

[[plugins.tasks.artifacts]]
filename = "writers.py"
name = "JsonStore"
output_params = [{ name = "summary", type = "summary" }]

[[entrypoints]]
path = "entrypoints/main.yml"
name = "main"
plugins = ["core"]
artifact_plugins = ["store"]
'''
    + PARAMS_TOML
)

SEED_TOML = (
    "# Corpus base, seed dialect.\n\n"
    + TYPES_TOML
    + '''
[[plugins]]
path = "plugins/core"
description = "Numeric tasks"

[[plugins.tasks]]
'''
    + TASKS_BODY.replace("[[TASKS]]", "[[plugins.tasks]]")
    + '''
[[entrypoints]]
path = "entrypoints/main.yml"
plugins = ["core"]
'''
    + PARAMS_TOML
)

GRAPH_YML = '''graph:
  loaded:
    load:
      path: $path
      size: $size
      columns: $columns
      options: $options
      strict: $strict
  scaled:
    scale: [$loaded, $factor]
  summary:
    task: summarize
    args: [$scaled]
    kwargs:
      label: $label
    dependencies: [loaded]
'''

ARTIFACTS_YML = '''
artifacts:
  result:
    contents: $summary
    task:
      name: JsonStore
'''


def base(dialect: str) -> dict[str, str]:
    files = {
        "plugins/core/__init__.py": '"""Numeric tasks."""\n',
        "plugins/core/tasks.py": TASKS_PY,
    }
    if dialect == "1.1":
        files["dioptra.toml"] = CURRENT_TOML
        files["plugins/store/__init__.py"] = '"""Artifact tasks."""\n'
        files["plugins/store/writers.py"] = WRITERS_PY
        files["entrypoints/main.yml"] = GRAPH_YML + ARTIFACTS_YML
    else:
        files["dioptra.toml"] = SEED_TOML
        files["entrypoints/main.yml"] = GRAPH_YML
    return files


# --------------------------------------------------------------------------- mutation helpers

Files = dict[str, str]


def sub(path: str, old: str, new: str, count: int = 1) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        text = files[path]
        if old not in text:
            raise SystemExit(f"mutation: {old!r} not in {path}")
        files[path] = text.replace(old, new, count)

    return apply


def toml(old: str, new: str, count: int = 1) -> Callable[[Files], None]:
    return sub("dioptra.toml", old, new, count)


def yml(old: str, new: str, count: int = 1) -> Callable[[Files], None]:
    return sub("entrypoints/main.yml", old, new, count)


def put(path: str, text: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        files[path] = text

    return apply


def drop(path: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        del files[path]

    return apply


def move(old: str, new: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        files[new] = files.pop(old)

    return apply


def append_toml(text: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        files["dioptra.toml"] += text

    return apply


def types_append(text: str) -> Callable[[Files], None]:
    """Insert parameter types before the first plugin."""
    return toml("\n[[plugins]]\n", "\n" + text + "\n[[plugins]]\n")


def param_default(name: str, new_line: str) -> Callable[[Files], None]:
    """Replace the default_value line of entrypoint param `name`."""

    def apply(files: Files) -> None:
        text = files["dioptra.toml"]
        marker = f'name = "{name}"\ntype = '
        start = text.index(marker, text.index("[[entrypoints]]"))
        line_start = text.index("default_value = ", start)
        line_end = text.index("\n", line_start)
        files["dioptra.toml"] = text[:line_start] + new_line + text[line_end:]

    return apply


def param_type_and_default(name: str, kind: str, default_line: str | None) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        text = files["dioptra.toml"]
        marker = f'[[entrypoints.params]]\nname = "{name}"\n'
        start = text.index(marker)
        end = text.find("\n\n", start)
        end = len(text.rstrip("\n")) if end == -1 else end
        block = marker + f'type = "{kind}"' + (f"\n{default_line}" if default_line else "")
        files["dioptra.toml"] = text[:start] + block + text[end:]

    return apply


def both(*mutations: Callable[[Files], None]) -> list[Callable[[Files], None]]:
    return list(mutations)


# --------------------------------------------------------------------------- cases
# name: (dialect, [mutations], intended expected, rule, note)
# `expected` here is what OUR tool must say; tests/oracle/dioptra_verdicts.sh forces
# "reject" wherever Dioptra 1.2.2 rejects, and marks `extra` where Dioptra accepts a case
# we flag.

CASE_TABLE: dict[str, tuple[str, list, str, str | None, str]] = {}


def case(name: str, dialect: str, mutations, expected: str, rule: str | None, note: str, config: str = "dioptra.toml") -> None:
    if name in CASE_TABLE:
        raise SystemExit(f"duplicate case {name}")
    if callable(mutations):
        mutations = [mutations]
    CASE_TABLE[name] = (dialect, list(mutations), expected, rule, note, config)


C, S = "1.1", "seed"

# ---- valid
case("valid-current", C, [], "accept", None, "the 1.1 base as is")
case("valid-seed", S, [], "accept", None, "the seed base as is (Dioptra 1.2.2 reads only the 1.1 dialect: its verdict is on the 1.1 translation)")
case("valid-dotdot-inside", C, toml('path = "plugins/core"', 'path = "plugins/../plugins/core"'), "accept", None, "`..` that stays inside the repository")
case("valid-nested-config", C, [
    put("extra/dioptra_optic.toml", CURRENT_TOML.replace('path = "plugins/', 'path = "../plugins/').replace('path = "entrypoints/', 'path = "../entrypoints/')),
], "accept", None, "second config extra/dioptra_optic.toml, paths relative to extra/ with ../ (Dioptra imports that config)", config="extra/dioptra_optic.toml")
case("valid-int-leading-space", C, param_default("size", 'default_value = " 42"'), "accept", None, 'int(" 42") == 42')
case("valid-int-plus-sign", C, param_default("size", 'default_value = "+3"'), "accept", None, 'int("+3") == 3')
case("valid-int-underscore", C, param_default("size", 'default_value = "1_000"'), "accept", None, 'int("1_000") == 1000')
case("valid-float-inf", C, param_default("factor", 'default_value = "inf"'), "accept", None, 'float("inf")')
case("valid-float-nan", C, param_default("factor", 'default_value = "nan"'), "accept", None, 'float("nan")')
case("valid-float-exponent", C, param_default("factor", 'default_value = "1e3"'), "accept", None, 'float("1e3")')
case("valid-bool-uppercase", C, param_default("strict", 'default_value = "TRUE"'), "accept", None, "booleans in any case")
case("valid-no-default-string", C, param_type_and_default("label", "string", None), "accept", None, "a string parameter without default")
case("valid-structures", C, [
    types_append('''[[plugin_param_types]]
name = "handle"

[[plugin_param_types]]
name = "file_handle"
structure = { is_a = "handle" }

[[plugin_param_types]]
name = "pair"
structure = { tuple = ["integer", "string"] }

[[plugin_param_types]]
name = "maybe_number"
structure = { union = ["number", "null", { list = "number" }] }

[[plugin_param_types]]
name = "table"
structure = { mapping = ["integer", { mapping = { name = "string", score = "maybe_number" } }] }
'''),
    toml('{ name = "strict", type = "boolean" },\n]', '{ name = "strict", type = "boolean" },\n    { name = "shape", type = "pair" },\n    { name = "source", type = "file_handle" },\n    { name = "limit", type = "maybe_number" },\n    { name = "index", type = "table" },\n]'),
    sub("plugins/core/tasks.py", "    strict: bool = False,\n", "    strict: bool = False,\n    shape: tuple[int, str] | None = None,\n    source: Any = None,\n    limit: float | list[float] | None = None,\n    index: dict[int, dict[str, Any]] | None = None,\n"),
    yml("      strict: $strict\n", "      strict: $strict\n      shape: [3, rows]\n      limit: [1.5, 2]\n"),
], "accept", None, "is_a, tuple, union with a nested list, integer-keyed mapping of enumerated mappings; tuple literal for a tuple, mixed literal for list[number]")
case("valid-swap", C, [
    toml('output_params = [{ name = "summary", type = "summary" }]\n\n[[plugins]]',
         'output_params = [{ name = "summary", type = "summary" }]\n\n[[plugins.tasks.functions]]\nfilename = "tasks.py"\nname = "shift"\ninput_params = [\n    { name = "values", type = "vector", required = true },\n    { name = "factor", type = "number", required = true },\n]\noutput_params = [{ name = "values", type = "vector" }]\n\n[[plugins]]'),
    sub("plugins/core/tasks.py", "@pyplugs.register\ndef summarize", "@pyplugs.register\ndef shift(values: list[float], factor: float) -> list[float]:\n    return [v + factor for v in values]\n\n\n@pyplugs.register\ndef summarize"),
    yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    ?transform:\n      ?outputs: [values]\n      multiply:\n        scale: [$loaded, $factor]\n      add:\n        shift:\n          values: $loaded\n          factor: $factor\n"),
], "accept", None, "a `?transform` swap between two tasks with the same outputs")

# ---- TOML and schema
case("toml-syntax", C, toml('name = "main"\n', 'name = "main\n'), "reject", "toml-syntax", "unterminated string")
case("schema-unknown-plugin-key", C, toml('description = "Numeric tasks"', 'description = "Numeric tasks"\nversion = "1.0"'), "reject", "schema", "additionalProperties: false on plugins")
case("schema-missing-plugin-path", C, toml('path = "plugins/store"\n', ''), "reject", "schema", "plugin without path")
case("schema-entrypoint-name-missing", C, toml('name = "main"\n', ''), "reject", "schema", "1.1 dialect requires entrypoint name")
case("schema-input-param-missing-type", C, toml('{ name = "label", type = "string" },', '{ name = "label" },'), "reject", "schema", "input param without type")
case("schema-artifact-with-inputs", C, toml('name = "JsonStore"\n', 'name = "JsonStore"\ninput_params = []\n'), "reject", "schema", "artifact tasks have no input_params")
case("schema-default-array", C, param_default("label", 'default_value = ["a"]'), "reject", "schema", "default_value must be string/number/boolean/null")
case("schema-seed-unknown-task-key", S, toml('name = "scale"\n', 'name = "scale"\nversion = 2\n'), "reject", "schema", "seed dialect: additionalProperties: false on tasks")

# ---- paths
case("path-absolute", C, toml('path = "plugins/store"', 'path = "/plugins/store"'), "reject", "invalid-path", "absolute plugin path")
case("path-escapes-root", C, toml('path = "plugins/store"', 'path = "../plugins/store"'), "reject", "invalid-path", "leaves the repository")
case("path-backslash", C, toml('path = "entrypoints/main.yml"', 'path = "entrypoints\\\\main.yml"'), "reject", "invalid-path", "backslash in an entrypoint path")
case("path-colon", C, toml('path = "entrypoints/main.yml"', 'path = "c:/entrypoints/main.yml"'), "reject", "invalid-path", "drive-letter colon in an entrypoint path")
case("path-git-component", C, toml('path = "entrypoints/main.yml"', 'path = ".git/main.yml"'), "reject", "invalid-path", "a .git component (no such file is shipped: Dioptra refuses such archive members)")
case("path-windows-reserved", C, toml('path = "entrypoints/main.yml"', 'path = "entrypoints/NUL/main.yml"'), "reject", "invalid-path", "Windows reserved name NUL (no such file is shipped)")
case("path-empty", C, toml('path = "entrypoints/main.yml"', 'path = ""'), "reject", "invalid-path", "empty entrypoint path")
case("missing-plugin-folder", C, toml('path = "plugins/store"', 'path = "plugins/stores"'), "reject", "missing-plugin-folder", "no such folder")
case("plugin-path-is-file", C, [toml('path = "plugins/store"', 'path = "plugins/store.py"'), put("plugins/store.py", "X = 1\n")], "reject", "missing-plugin-folder", "plugin path names a file")
case("missing-entrypoint-file", C, drop("entrypoints/main.yml"), "reject", "missing-entrypoint-file", "the YAML is not there")

# ---- names
case("duplicate-plugin-path", C, append_toml('\n[[plugins]]\npath = "plugins/store"\n'), "reject", "duplicate-plugin", "the same path twice")
case("duplicate-plugin-stem", C, [append_toml('\n[[plugins]]\npath = "more/core"\n'), put("more/core/__init__.py", "")], "reject", "duplicate-plugin", "two paths with the stem `core`")
case("invalid-plugin-name", C, [toml('path = "plugins/store"', 'path = "plugins/2store"'), move("plugins/store/__init__.py", "plugins/2store/__init__.py"), move("plugins/store/writers.py", "plugins/2store/writers.py"), toml('artifact_plugins = ["store"]', 'artifact_plugins = ["2store"]')], "reject", "invalid-plugin-name", "stem starts with a digit")
case("invalid-plugin-name-dash", C, [toml('path = "plugins/store"', 'path = "plugins/json-store"'), move("plugins/store/__init__.py", "plugins/json-store/__init__.py"), move("plugins/store/writers.py", "plugins/json-store/writers.py"), toml('artifact_plugins = ["store"]', 'artifact_plugins = ["json-store"]')], "reject", "invalid-plugin-name", "stem with a dash")
case("invalid-plugin-file-dash", C, put("plugins/core/tasks-v2.py", "X = 1\n"), "reject", "invalid-plugin-file-name", "tasks-v2.py")
case("invalid-plugin-file-sub-init", C, [put("plugins/core/helpers/__init__.py", ""), put("plugins/core/helpers/util.py", "X = 1\n")], "reject", "invalid-plugin-file-name", "sub/__init__.py")
case("invalid-type-name", C, [toml('name = "vector"', 'name = "vector:v2"'), toml('type = "vector"', 'type = "vector:v2"', 99)], "reject", "invalid-type-name", "colon in a type name")
case("builtin-type-redefined", C, types_append('[[plugin_param_types]]\nname = " Integer"\n'), "reject", "builtin-type-redefined", '" Integer" is the builtin integer')
case("duplicate-type", C, types_append('[[plugin_param_types]]\nname = "vector"\nstructure = { list = "integer" }\n'), "reject", "duplicate-type", "vector declared twice")
case("invalid-entrypoint-name", C, toml('name = "main"\n', 'name = "main(v2)"\n'), "reject", "invalid-entrypoint-name", "parenthesis in an entrypoint name")
case("duplicate-entrypoint", C, append_toml('\n[[entrypoints]]\npath = "entrypoints/main.yml"\nname = "main"\nplugins = ["core"]\nparams = [{ name = "path", type = "string", default_value = "/x" }, { name = "size", type = "integer", default_value = "1" }, { name = "columns", type = "list", default_value = "[]" }, { name = "options", type = "mapping", default_value = "{}" }, { name = "strict", type = "boolean", default_value = "true" }, { name = "factor", type = "float", default_value = "1" }, { name = "label", type = "string", default_value = "x" }]\n'), "reject", "duplicate-entrypoint", "two entrypoints named main")
case("duplicate-task", C, toml('name = "scale"\n', 'name = "load"\n'), "reject", "duplicate-task", "two function tasks named load")
case("duplicate-task-parameter", C, toml('{ name = "label", type = "string" },', '{ name = "label", type = "string" },\n    { name = "label", type = "string" },'), "reject", "duplicate-task-parameter", "input `label` twice")
case("duplicate-task-output", C, toml('output_params = [{ name = "summary", type = "summary" }]\n\n[[plugins]]', 'output_params = [{ name = "summary", type = "summary" }, { name = "summary", type = "any" }]\n\n[[plugins]]'), "reject", "duplicate-task-parameter", "output `summary` twice")

# ---- types
case("unknown-type", C, toml('{ name = "label", type = "string" },', '{ name = "label", type = "text" },'), "reject", "unknown-type", "task input type `text` is neither builtin nor declared")
case("unknown-artifact-output-type", C, toml('name = "JsonStore"\noutput_params = [{ name = "summary", type = "summary" }]', 'name = "JsonStore"\noutput_params = [{ name = "summary", type = "report" }]'), "reject", "unknown-type", "artifact output type undeclared")
case("undefined-type", C, types_append('[[plugin_param_types]]\nname = "matrix"\nstructure = { list = "row" }\n'), "reject", "undefined-type", "structure names an undeclared type")
case("type-cycle", C, types_append('[[plugin_param_types]]\nname = "tree"\nstructure = { list = "forest" }\n\n[[plugin_param_types]]\nname = "forest"\nstructure = { list = "tree" }\n'), "reject", "type-cycle", "tree > forest > tree")
case("structure-mapping-key-number", C, types_append('[[plugin_param_types]]\nname = "by_score"\nstructure = { mapping = ["number", "string"] }\n'), "reject", "invalid-structure", "mapping key type number (crashes Dioptra)")
case("structure-is-a-structured", C, types_append('[[plugin_param_types]]\nname = "short_vector"\nstructure = { is_a = "vector" }\n'), "reject", "invalid-structure", "is_a a structured type (crashes Dioptra)")
case("structure-two-keys", C, types_append('[[plugin_param_types]]\nname = "odd"\nstructure = { list = "string", tuple = ["string"] }\n'), "reject", "invalid-structure", "two structure keys (crashes Dioptra)")
case("structure-unknown-key", C, types_append('[[plugin_param_types]]\nname = "odd"\nstructure = { set = "string" }\n'), "reject", "invalid-structure", "no known structure key")
case("duplicate-union-member", C, types_append('[[plugin_param_types]]\nname = "num_or_num"\nstructure = { union = ["number", "number"] }\n'), "reject", "duplicate-union-member", "repeated union member")

# ---- entrypoint parameters and defaults
case("default-int-float-text", C, param_default("size", 'default_value = "1.0"'), "reject", "invalid-default", 'int("1.0") fails')
case("default-int-word", C, param_default("size", 'default_value = "eight"'), "reject", "invalid-default", "not an integer")
case("default-float-word", C, param_default("factor", 'default_value = "fast"'), "reject", "invalid-default", "not a float")
case("default-bool-yes", C, param_default("strict", 'default_value = "yes"'), "reject", "invalid-default", "only true/false")
case("default-list-not-json", C, param_default("columns", 'default_value = "a, b"'), "reject", "invalid-default", "list default is not JSON")
case("default-list-is-mapping", C, param_default("columns", '''default_value = '{"a": 1}\''''), "reject", "invalid-default", "list default is a JSON object")
case("default-mapping-is-list", C, param_default("options", "default_value = '[1, 2]'"), "reject", "invalid-default", "mapping default is a JSON array")
case("default-toml-boolean", C, param_default("strict", "default_value = false"), "reject", "non-string-default", "TOML boolean default (crashes Dioptra)")
case("default-toml-float-for-integer", C, param_default("size", "default_value = 8.5"), "reject", "non-string-default", "TOML float for an integer (Dioptra truncates)")
case("default-toml-integer", C, param_default("size", "default_value = 8"), "reject", "non-string-default", "TOML integer default")
case("list-without-default", C, param_type_and_default("columns", "list", None), "reject", "missing-default", "list parameter without default")
case("mapping-without-default", C, param_type_and_default("options", "mapping", None), "reject", "missing-default", "mapping parameter without default")
case("entrypoint-param-bad-type", C, param_type_and_default("label", "text", 'default_value = "x"'), "reject", "schema", "entrypoint parameter type `text`")
case("duplicate-entrypoint-param", C, append_toml('\n[[entrypoints.params]]\nname = "label"\ntype = "string"\ndefault_value = "again"\n'), "reject", "duplicate-task-parameter", "entrypoint parameter `label` twice")
case("unknown-plugin", C, toml('plugins = ["core"]', 'plugins = ["core", "extras"]'), "reject", "unknown-plugin", "entrypoint names an undeclared plugin")
case("unknown-artifact-plugin", C, toml('artifact_plugins = ["store"]', 'artifact_plugins = ["stores"]'), "reject", "unknown-plugin", "artifact plugin undeclared")

# ---- task graph
case("yaml-syntax", C, yml("    scale: [$loaded, $factor]\n", "    scale: [$loaded, $factor\n"), "reject", "yaml-syntax", "unclosed flow sequence")
case("graph-missing", C, put("entrypoints/main.yml", "steps:\n  loaded:\n    load: {path: $path}\n"), "reject", "invalid-task-graph", "no `graph`")
case("graph-empty", C, put("entrypoints/main.yml", "graph: {}\n"), "reject", "invalid-task-graph", "empty graph")
case("graph-top-level-list", C, put("entrypoints/main.yml", "- graph\n"), "reject", "invalid-task-graph", "top level is a list")
case("graph-dotted-step", C, [yml("  scaled:\n", "  scaled.v1:\n"), yml("args: [$scaled]", "args: [$$scaled]")], "reject", "invalid-task-graph", "a dot in a step name")
case("graph-unknown-top-key", C, yml("graph:\n", "metadata:\n  owner: corpus\ngraph:\n"), "warn", "invalid-task-graph", "top-level key other than graph/artifacts (ignored by Dioptra)")
case("graph-bad-step-shape", C, yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    scale: [$loaded, $factor]\n    verbose: true\n    extra: 1\n"), "reject", "invalid-task-graph", "three keys in a short-form step")
case("unknown-task", C, yml("    scale: [$loaded, $factor]", "    scales: [$loaded, $factor]"), "reject", "unknown-task", "step invokes an unknown task")
case("task-from-unattached-plugin", C, yml("    scale: [$loaded, $factor]", "    JsonStore: [$loaded]"), "reject", "unknown-task", "an artifact task used as a step")
case("too-many-positional", C, yml("    scale: [$loaded, $factor]", "    scale: [$loaded, $factor, 3]"), "reject", "invalid-invocation", "three positional args for two parameters")
case("unknown-keyword", C, yml("      strict: $strict\n", "      strict: $strict\n      verbose: true\n"), "reject", "invalid-invocation", "keyword that is not a parameter")
case("parameter-given-twice", C, yml("    args: [$scaled]\n    kwargs:\n      label: $label\n", "    args: [$scaled]\n    kwargs:\n      label: $label\n      values: $scaled\n"), "reject", "invalid-invocation", "`values` positional and keyword")
case("missing-required-argument", C, yml("      path: $path\n", ""), "reject", "missing-required-argument", "required `path` not given")
case("name-collision", C, [append_toml('\n[[entrypoints.params]]\nname = "report"\ntype = "string"\ndefault_value = "r"\n'), yml("  summary:\n", "  report:\n    summarize: [$scaled]\n  summary:\n")], "reject", "name-collision", "a step named like a parameter (`report`)")
case("unresolvable-reference", C, yml("      label: $label\n", "      label: $title\n"), "reject", "unresolvable-reference", "$title is nothing")
case("reference-unknown-output", C, yml("args: [$scaled]", "args: [$scaled.result]"), "reject", "unresolvable-reference", "scale has no output `result`")
case("reference-param-with-output", C, yml("      label: $label\n", "      label: $label.text\n"), "reject", "unresolvable-reference", "a parameter reference with an output name")
case("dependency-unknown-step", C, yml("    dependencies: [loaded]\n", "    dependencies: [loading]\n"), "reject", "unresolvable-reference", "dependency names no step")
case("step-cycle", C, yml("    scale: [$loaded, $factor]", "    scale: [$summary, $factor]"), "reject", "step-cycle", "scaled > summary > scaled")
case("incompatible-argument", C, yml("    scale: [$loaded, $factor]", "    scale: [$loaded, $label]"), "reject", "incompatible-argument", "a string for a number")
case("incompatible-literal", C, yml("      size: $size\n", "      size: 2.5\n"), "reject", "incompatible-argument", "a float literal for an integer")
case("float-param-for-integer-input", C, param_type_and_default("size", "float", 'default_value = "8"'), "reject", "incompatible-argument", "a float parameter passed to an integer input")
case("swap-duplicate-name", C, [
    yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    ?pick:\n      ?outputs: [values]\n      a:\n        scale: [$loaded, $factor]\n"),
    yml("  summary:\n", "  again:\n    ?pick:\n      ?outputs: [values]\n      b:\n        scale: [$scaled, $factor]\n  summary:\n"),
], "reject", "invalid-swap", "swap name `pick` used in two steps")
case("swap-output-count", C, yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    ?pick:\n      ?outputs: [values, extra]\n      a:\n        scale: [$loaded, $factor]\n"), "reject", "invalid-swap", "choice has 1 output, interface 2")
case("swap-two-in-step", C, yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    ?pick:\n      ?outputs: [values]\n      a:\n        scale: [$loaded, $factor]\n    ?other:\n      ?outputs: [values]\n      b:\n        scale: [$loaded, $factor]\n"), "reject", "invalid-swap", "two swaps in one step")
case("swap-unknown-task", C, yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    ?pick:\n      ?outputs: [values]\n      a:\n        scale: [$loaded, $factor]\n      b:\n        rescale: [$loaded, $factor]\n"), "reject", "invalid-swap", "a swap choice invokes an unknown task")
case("swap-output-type", C, yml("  scaled:\n    scale: [$loaded, $factor]\n", "  scaled:\n    ?pick:\n      ?outputs: [values]\n      a:\n        scale: [$loaded, $factor]\n      b:\n        summarize: [$loaded]\n"), "reject", "invalid-swap", "choices with different output types")

# ---- extras (Dioptra accepts these)
case("not-an-artifact-task", C, yml("      name: JsonStore\n", "      name: JsonStorage\n"), "reject", "not-an-artifact-task", "artifacts: names no artifact task")
case("ambiguous-task", C, [
    append_toml('\n[[plugins]]\npath = "plugins/alt"\n\n[[plugins.tasks.functions]]\nfilename = "alt.py"\nname = "scale"\ninput_params = [\n    { name = "values", type = "vector", required = true },\n    { name = "factor", type = "number", required = true },\n]\noutput_params = [{ name = "values", type = "vector" }]\n'),
    put("plugins/alt/alt.py", "def scale(values, factor):\n    return [v * factor for v in values]\n"),
    toml('plugins = ["core"]', 'plugins = ["core", "alt"]'),
], "warn", "ambiguous-task", "`scale` in two attached plugins")
case("unused-parameter", C, append_toml('\n[[entrypoints.params]]\nname = "seed"\ntype = "integer"\ndefault_value = "7"\n'), "warn", "unused-parameter", "param `seed` used by no step")
case("unused-artifact-parameter", C, append_toml('\n[[entrypoints.artifact_params]]\nname = "previous"\noutput_params = [{ name = "summary", type = "summary" }]\n'), "warn", "unused-parameter", "artifact param used by no step")
case("unused-plugin", C, [append_toml('\n[[plugins]]\npath = "plugins/spare"\n'), put("plugins/spare/__init__.py", "")], "warn", "unused-plugin", "plugin attached to no entrypoint")
case("unused-type", C, types_append('[[plugin_param_types]]\nname = "spare"\nstructure = { list = "string" }\n'), "warn", "unused-type", "type used by no task")
case("unmatched-task-file", C, toml('filename = "tasks.py"\nname = "summarize"', 'filename = "task.py"\nname = "summarize"'), "reject", "unmatched-task-file", "filename matches no file: Dioptra drops the task silently, then the graph cannot find it")
case("unmatched-task-file-unused-task", C, [
    toml('output_params = [{ name = "summary", type = "summary" }]\n\n[[plugins]]', 'output_params = [{ name = "summary", type = "summary" }]\n\n[[plugins.tasks.functions]]\nfilename = "task.py"\nname = "shift"\ninput_params = [{ name = "values", type = "vector", required = true }]\noutput_params = [{ name = "values", type = "vector" }]\n\n[[plugins]]'),
], "reject", "unmatched-task-file", "filename matches no file, task used by no graph: Dioptra drops it silently")
case("missing-task-function", C, sub("plugins/core/tasks.py", "def summarize(", "def summarise("), "reject", "missing-task-definition", "tasks.py defines summarise, the TOML declares summarize")
case("missing-artifact-class", C, sub("plugins/store/writers.py", "class JsonStore(", "class JsonWriter("), "reject", "missing-task-definition", "writers.py defines JsonWriter, the TOML declares JsonStore")
case("signature-missing-declared-input", C, [toml('{ name = "label", type = "string" },', '{ name = "label", type = "string" },\n    { name = "digits", type = "integer" },')], "warn", "unused-optional-input", "declared optional input `digits` not in summarize(), passed by no step")
case("signature-passed-undeclared-parameter", C, [
    toml('{ name = "label", type = "string" },', '{ name = "label", type = "string" },\n    { name = "digits", type = "integer" },'),
    yml("      label: $label\n", "      label: $label\n      digits: $size\n"),
], "reject", "signature-mismatch", "optional input `digits` passed by a step, not in summarize()")
case("signature-missing-required-input", C, [
    toml('{ name = "label", type = "string" },', '{ name = "label", type = "string" },\n    { name = "digits", type = "integer", required = true },'),
    yml("      label: $label\n", "      label: $label\n      digits: $size\n"),
], "reject", "signature-mismatch", "required input `digits` not in summarize()")
case("signature-undeclared-required", C, sub("plugins/core/tasks.py", "def scale(values: list[float], factor: float)", "def scale(values: list[float], factor: float, offset: float)"), "reject", "signature-mismatch", "scale() needs `offset`, not declared")
case("signature-required-false-no-default", C, toml('{ name = "factor", type = "number", required = true },', '{ name = "factor", type = "number" },'), "warn", "signature-mismatch", "required = false for a parameter without default")
case("seed-unknown-task", S, yml("    scale: [$loaded, $factor]", "    scales: [$loaded, $factor]"), "reject", "unknown-task", "seed dialect: step invokes an unknown task")
case("seed-missing-task-function", S, sub("plugins/core/tasks.py", "def summarize(", "def summarise("), "reject", "missing-task-definition", "seed dialect: tasks.py defines summarise, the TOML declares summarize")
case("seed-default-int-float-text", S, param_default("size", 'default_value = "1.0"'), "reject", "invalid-default", 'seed dialect: int("1.0") fails')
case("seed-entrypoint-named", S, toml('path = "entrypoints/main.yml"\n', 'path = "entrypoints/main.yml"\nname = "main run"\n'), "accept", None, "seed dialect with an explicit entrypoint name")


# ---- more structures, names, references and artifacts
case("literal-and-nested-references", C, [
    yml("      label: $label\n", "      label: $$label\n"),
    yml("      options: $options\n", "      options: {sep: $label, cols: [$columns, [$size]], raw: $$options}\n"),
], "warn", "unused-parameter", "`$$label` is the literal text; references nested in a mapping/list; param `options` now unused")
case("valid-artifact-input", C, [
    append_toml('\n[[entrypoints.artifact_params]]\nname = "previous"\noutput_params = [{ name = "summary", type = "summary" }]\n'),
    yml("      options: $options\n", "      options: {previous: $previous, settings: $options}\n"),
], "accept", None, "an artifact input referenced by a step")
case("artifact-param-unknown-type", C, [
    append_toml('\n[[entrypoints.artifact_params]]\nname = "previous"\noutput_params = [{ name = "summary", type = "report" }]\n'),
    yml("      options: $options\n", "      options: {previous: $previous, settings: $options}\n"),
], "reject", "unknown-type", "artifact param output type undeclared")
case("duplicate-artifact-param", C, [
    append_toml('\n[[entrypoints.artifact_params]]\nname = "previous"\noutput_params = [{ name = "summary", type = "summary" }]\n\n[[entrypoints.artifact_params]]\nname = "previous"\noutput_params = [{ name = "summary", type = "summary" }]\n'),
    yml("      options: $options\n", "      options: {previous: $previous, settings: $options}\n"),
], "reject", "duplicate-task-parameter", "artifact param `previous` twice")
case("artifacts-unresolvable-contents", C, yml("    contents: $summary\n", "    contents: $summery\n"), "reject", "unresolvable-reference", "artifacts: contents references nothing")
case("structure-tuple-not-list", C, types_append('[[plugin_param_types]]\nname = "odd"\nstructure = { tuple = "string" }\n'), "reject", "invalid-structure", "tuple needs a list of types")
case("structure-mapping-three-items", C, types_append('[[plugin_param_types]]\nname = "odd"\nstructure = { mapping = ["string", "number", "integer"] }\n'), "reject", "invalid-structure", "mapping [K, V] with three items")
case("type-self-cycle", C, types_append('[[plugin_param_types]]\nname = "nested"\nstructure = { list = "nested" }\n'), "reject", "type-cycle", "nested > nested")
case("builtin-type-redefined-any", C, types_append('[[plugin_param_types]]\nname = "ANY"\n'), "reject", "builtin-type-redefined", "ANY is the builtin any")
case("invalid-type-name-blank", C, types_append('[[plugin_param_types]]\nname = "   "\n'), "reject", "invalid-type-name", "a type name of spaces")
case("invalid-entrypoint-name-blank", C, toml('name = "main"\n', 'name = "  "\n'), "reject", "invalid-entrypoint-name", "an entrypoint name of spaces")
case("step-cycle-dependencies", C, yml("  loaded:\n    load:\n", "  loaded:\n    dependencies: summary\n    load:\n"), "reject", "step-cycle", "cycle through an explicit dependency")
case("reference-ambiguous-output", C, toml('output_params = [{ name = "values", type = "vector" }]\n', 'output_params = [{ name = "values", type = "vector" }, { name = "count", type = "integer" }]\n'), "reject", "unresolvable-reference", "`$loaded` without an output name, load has two outputs")
case("reference-step-without-outputs", C, toml('name = "scale"\ninput_params = [\n    { name = "values", type = "vector", required = true },\n    { name = "factor", type = "number", required = true },\n]\noutput_params = [{ name = "values", type = "vector" }]', 'name = "scale"\ninput_params = [\n    { name = "values", type = "vector", required = true },\n    { name = "factor", type = "number", required = true },\n]\noutput_params = []'), "reject", "unresolvable-reference", "`$scaled` but scale has no outputs")
case("artifacts-contents-not-reference", C, yml("    contents: $summary\n", "    contents: {label: x, total: 1}\n"), "reject", "invalid-task-graph", "artifacts: contents must be a reference string")


# --------------------------------------------------------------------------- writer


def build() -> dict[str, dict]:
    if CASES.exists():
        shutil.rmtree(CASES)
    CASES.mkdir(parents=True)
    manifest = {}
    for name, (dialect, mutations, expected, rule, note, config) in sorted(CASE_TABLE.items()):
        files = base(dialect)
        for mutate in mutations:
            mutate(files)
        root = CASES / name
        for rel, text in sorted(files.items()):
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        manifest[name] = {
            "dialect": dialect,
            "config": config,
            "expected": expected,
            "rule": rule,
            "note": note,
        }
    (CORPUS / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


if __name__ == "__main__":
    m = build()
    print(f"wrote {len(m)} cases to {CASES.relative_to(ROOT)}", file=sys.stderr)
