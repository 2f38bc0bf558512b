#!/usr/bin/env python3
"""Dioptra 1.2.2 as an oracle: import resource repositories through its in-process app.

Run with the interpreter of the virtual environment that holds `dioptra-platform==1.2.2`
(see tests/oracle/dioptra_verdicts.sh). For every repository given, the folder is packed
into a deterministic tar.gz and POSTed to `/api/v1/workflows/resourceImport`
(sourceType=upload_archive, resolveNameConflictsStrategy=fail) by a freshly registered
user, so that every repository is imported into its own empty group. Dioptra's HTTP status
and JSON answer are the verdict.

    dioptra_oracle.py REPO[::CONFIG] ...   print one JSON object {label: verdict}
    dioptra_oracle.py --corpus DIR         every DIR/<case>/ (config dioptra.toml)

A verdict is {"status": int, "message": str (first 300 characters), "body": answer}.
Nothing here needs the network: the app uses an in-memory SQLite database.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

MESSAGE_CHARS = 300
PASSWORD = "oracle-password-123456"


def _quiet() -> None:
    logging.disable(logging.CRITICAL)
    try:
        import structlog

        structlog.configure(
            wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL + 10)
        )
    except Exception:  # pragma: no cover - structlog is a Dioptra dependency
        pass


def repo_archive(root: Path) -> bytes:
    """A deterministic tar.gz of every file under root (paths relative to root)."""
    buffer = io.BytesIO()
    import gzip

    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root).as_posix()
                if any(part in ("__pycache__",) for part in path.relative_to(root).parts):
                    continue
                info = tarfile.TarInfo(rel)
                info.mtime = 0
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if path.is_dir():
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
                elif path.is_file():
                    data = path.read_bytes()
                    info.size = len(data)
                    info.mode = 0o644
                    tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {value!r}")


def seed_to_current(config: dict[str, Any], config_name: str) -> dict[str, Any] | None:
    """The Dioptra 1.1+ form of a seed-dialect config, or None when it is not seed dialect.

    Seed dialect: `plugins[].tasks` is an array (all function tasks) and an entrypoint may
    omit `name` (it defaults to the file stem, as Dioptra's importer itself does).
    """
    plugins = config.get("plugins", [])
    entrypoints = config.get("entrypoints", [])
    is_seed = any(isinstance(p, dict) and isinstance(p.get("tasks"), list) for p in plugins) or any(
        isinstance(e, dict) and "name" not in e for e in entrypoints
    )
    if not is_seed:
        return None
    out = dict(config)
    out["plugins"] = [
        {**p, "tasks": {"functions": p["tasks"]}}
        if isinstance(p, dict) and isinstance(p.get("tasks"), list)
        else p
        for p in plugins
    ]
    out["entrypoints"] = [
        {**e, "name": Path(str(e.get("path", ""))).stem}
        if isinstance(e, dict) and "name" not in e
        else e
        for e in entrypoints
    ]
    return out


def dump_toml(config: dict[str, Any]) -> str:
    return "".join(f"{key} = {_toml_value(value)}\n" for key, value in config.items())


def _seed_ontology(db: Any) -> None:
    """The lookup rows the REST API expects (what Dioptra's test suite seeds)."""
    from sqlalchemy import insert

    from dioptra.restapi.db import models

    rows = {
        models.entry_point_parameter_types_table: [
            {"parameter_type": t}
            for t in ("string", "float", "integer", "boolean", "list", "mapping", "path", "uri")
        ],
        models.job_status_types_table: [
            {"status": s} for s in ("queued", "started", "deferred", "finished", "failed")
        ],
        models.user_lock_types_table: [{"user_lock_type": "delete"}],
        models.group_lock_types_table: [{"group_lock_type": "delete"}],
        models.resource_lock_types_table: [
            {"resource_lock_type": "delete"},
            {"resource_lock_type": "readonly"},
        ],
        models.resource_types_table: [
            {"resource_type": t}
            for t in (
                "artifact", "entry_point", "experiment", "job", "ml_model", "ml_model_version",
                "plugin", "plugin_file", "plugin_task_parameter_type", "queue",
                "resource_snapshot",
            )
        ],
        models.resource_dependency_types_table: [
            {"parent_resource_type": p, "child_resource_type": c}
            for p, c in (
                ("experiment", "entry_point"), ("entry_point", "plugin"),
                ("entry_point", "queue"), ("plugin", "plugin_file"), ("job", "artifact"),
                ("job", "job"), ("ml_model", "ml_model_version"),
            )
        ],
    }
    for table, values in rows.items():
        try:
            db.session.execute(insert(table).values(values))
            db.session.commit()
        except Exception:  # a table already seeded by create_all defaults
            db.session.rollback()


class Oracle:
    def __init__(self) -> None:
        os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
        self._tmp = tempfile.TemporaryDirectory(prefix="dioptra-oracle-")
        os.environ.setdefault("MLFLOW_TRACKING_URI", Path(self._tmp.name, "mlruns").as_uri())
        _quiet()
        from dioptra.restapi import create_app
        from dioptra.restapi.db import db

        self.app = create_app(env="test")
        _quiet()  # Dioptra configures its loggers while creating the app
        self.app.config["TESTING"] = True
        self.db = db
        self.client = self.app.test_client()
        self.users = 0

    def _reset_database(self) -> None:
        """An empty database for every repository: no name can collide between cases."""
        self.db.session.remove()
        self.db.drop_all()
        self.db.create_all()
        _seed_ontology(self.db)

    def _fresh_group(self) -> int:
        """Register and log in a new user; returns its default group id."""
        self.users += 1
        name = f"oracle{self.users}"
        self.client.post("/api/v1/auth/logout")
        r = self.client.post(
            "/api/v1/users/",
            json={
                "username": name,
                "email": f"{name}@example.org",
                "password": PASSWORD,
                "confirmPassword": PASSWORD,
            },
        )
        if r.status_code != 200:
            raise RuntimeError(f"cannot register user: {r.status_code} {r.get_data(as_text=True)}")
        group_id = r.get_json()["groups"][0]["id"]
        r = self.client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
        if r.status_code != 200:
            raise RuntimeError(f"cannot log in: {r.status_code} {r.get_data(as_text=True)}")
        return group_id

    def import_translated(self, root: Path, config: str = "dioptra.toml") -> dict[str, Any] | None:
        """Import the 1.1+ translation of a seed-dialect config; None if not seed dialect."""
        import shutil

        import tomli

        try:
            parsed = tomli.loads((root / config).read_text())
        except Exception:
            return None
        translated = seed_to_current(parsed, config)
        if translated is None:
            return None
        with tempfile.TemporaryDirectory(prefix="dioptra-seed-") as tmp:
            copy = Path(tmp, root.name)
            shutil.copytree(root, copy)
            (copy / config).write_text(dump_toml(translated))
            return self.import_repo(copy, config)

    def import_repo(self, root: Path, config: str = "dioptra.toml") -> dict[str, Any]:
        # A new application context per repository: nothing (logged-in user, session)
        # survives from the previous import.
        with self.app.app_context():
            return self._import_repo(root, config)

    def _import_repo(self, root: Path, config: str) -> dict[str, Any]:
        self._reset_database()
        self.client = self.app.test_client()
        group_id = self._fresh_group()
        archive = repo_archive(root)
        started = time.perf_counter()
        r = self.client.post(
            "/api/v1/workflows/resourceImport",
            data={
                "group": str(group_id),
                "sourceType": "upload_archive",
                "archiveFile": (io.BytesIO(archive), f"{root.name}.tar.gz"),
                "configPath": config,
                "resolveNameConflictsStrategy": "fail",
            },
            content_type="multipart/form-data",
        )
        elapsed = time.perf_counter() - started
        body: Any = r.get_json(silent=True)
        if body is None:
            body = r.get_data(as_text=True)
        body = normalize(body)
        return {"status": r.status_code, "message": answer_text(body), "body": body, "seconds": elapsed}


TMP_DIR = re.compile(r"/[^\s'\"]*?/tmp[a-z0-9_]{6,}/")


def normalize(value: Any) -> Any:
    """Dioptra's answer without the random temporary folder it extracted the archive to."""
    if isinstance(value, str):
        return TMP_DIR.sub("<import>/", value)
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    return value


def answer_text(body: Any) -> str:
    """The first MESSAGE_CHARS characters of Dioptra's answer, as one line of text."""
    if isinstance(body, dict):
        if body.get("message") == "successfully imported":
            text = "successfully imported: " + json.dumps(body.get("resources"), sort_keys=True)
        else:
            parts = [str(body.get("message", ""))]
            for key in ("reason", "detail", "errors"):
                if body.get(key):
                    value = body[key]
                    parts.append(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
            text = " | ".join(p for p in parts if p)
            if not text:
                text = json.dumps(body, sort_keys=True)
    else:
        text = str(body)
    text = " ".join(text.split())
    return text[:MESSAGE_CHARS]


def verdicts(oracle: "Oracle", corpus: Path, check: bool) -> int:
    """Write (or with check, compare) corpus/verdicts.json from corpus/manifest.json.

    Seed-dialect cases: Dioptra 1.2.2 only reads the 1.1+ dialect, so its raw answer is
    always a schema error; "dioptra" then holds the verdict on the case translated to the
    1.1+ dialect (tasks -> tasks.functions, name = file stem) and "dioptra_raw" the raw one.
    """
    manifest = json.loads((corpus / "manifest.json").read_text())
    path = corpus / "verdicts.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    new: dict[str, Any] = {}
    for name, intent in sorted(manifest.items()):
        root = corpus / "cases" / name
        raw = oracle.import_repo(root, intent["config"])
        raw.pop("body", None)
        raw.pop("seconds", None)
        entry: dict[str, Any] = {"dialect": intent["dialect"], "config": intent["config"]}
        if intent["dialect"] == "seed":
            translated = oracle.import_translated(root, intent["config"])
            if translated is None:
                translated = dict(raw)
            translated.pop("body", None)
            translated.pop("seconds", None)
            entry["dioptra"] = translated
            entry["dioptra_raw"] = raw
        else:
            entry["dioptra"] = raw
        previous = old.get(name, {})
        expected = previous.get("expected", intent["expected"])
        rule = previous.get("rule", intent["rule"]) if "rule" in previous else intent["rule"]
        status = entry["dioptra"]["status"]
        if status >= 400 or status < 0:
            expected = "reject"
        extra = previous.get("extra") if "extra" in previous else (0 <= status < 400 and expected != "accept")
        if 0 <= status < 400 and expected == "accept":
            extra = False
        entry.update({"expected": expected, "rule": rule, "extra": bool(extra), "note": intent.get("note", "")})
        new[name] = entry
        print(f"{name}: dioptra {status} -> expected {expected} ({rule}){' extra' if entry['extra'] else ''}", file=sys.stderr)

    if check:
        problems = []
        for name in sorted(set(old) | set(new)):
            if name not in old:
                problems.append(f"{name}: not in verdicts.json")
                continue
            if name not in new:
                problems.append(f"{name}: in verdicts.json but not in the corpus")
                continue
            for key in ("dioptra", "dioptra_raw"):
                if key in new[name] and old[name].get(key, {}).get("status") != new[name][key]["status"]:
                    problems.append(
                        f"{name}: recorded {key} status {old[name].get(key, {}).get('status')}, "
                        f"Dioptra now answers {new[name][key]['status']}: {new[name][key]['message'][:120]}"
                    )
        for problem in problems:
            print(f"MISMATCH {problem}", file=sys.stderr)
        print(f"checked {len(new)} cases: {len(problems)} mismatches", file=sys.stderr)
        return 1 if problems else 0

    path.write_text(json.dumps(new, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    rejects = sum(1 for v in new.values() if v["dioptra"]["status"] >= 400)
    print(f"wrote {path}: {len(new)} cases, Dioptra rejects {rejects}, accepts {len(new) - rejects}", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="*", help="REPO or REPO::CONFIG")
    parser.add_argument("--corpus", type=Path, help="a folder of case repositories")
    parser.add_argument("--config", default="dioptra.toml", help="config path for --corpus cases")
    parser.add_argument("--body", action="store_true", help="include Dioptra's whole JSON answer")
    parser.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    parser.add_argument(
        "--translate-seed",
        action="store_true",
        help="also import the Dioptra 1.1+ translation of seed-dialect configs "
        "(verdict under 'translated')",
    )
    parser.add_argument(
        "--time",
        type=int,
        metavar="N",
        help="import each repository N times (seed configs translated) and print the median "
        "wall-clock seconds of the import request alone, for `cargo xtask bench --reference`",
    )
    parser.add_argument("--verdicts", type=Path, metavar="CORPUS", help="write CORPUS/verdicts.json from CORPUS/manifest.json")
    parser.add_argument("--check", action="store_true", help="with --verdicts: compare instead of writing")
    args = parser.parse_args(argv)

    if args.verdicts:
        sys.stdout = sys.stderr
        return verdicts(Oracle(), args.verdicts, args.check)

    targets: list[tuple[str, Path, str]] = []
    if args.corpus:
        for case in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
            targets.append((case.name, case, args.config))
    for spec in args.repos:
        path, _, config = spec.partition("::")
        label = spec if config else path
        targets.append((label, Path(path), config or "dioptra.toml"))
    if not targets:
        parser.error("nothing to import")

    # Dioptra logs to stdout; keep stdout for the verdicts only.
    sys.stdout = sys.stderr
    oracle = Oracle()
    if args.time:
        import statistics

        timings: dict[str, Any] = {}
        for label, path, config in targets:
            samples = []
            for _ in range(args.time):
                verdict = oracle.import_translated(path, config) or oracle.import_repo(path, config)
                if verdict["status"] != 200:
                    raise SystemExit(f"{label}: Dioptra refused it ({verdict['status']}): {verdict['message']}")
                samples.append(verdict["seconds"])
            timings[label] = {"median_seconds": statistics.median(samples), "runs": len(samples)}
        sys.__stdout__.write(json.dumps(timings, indent=2, sort_keys=True) + "\n")
        return 0
    results: dict[str, Any] = {}
    for label, path, config in targets:
        try:
            verdict = oracle.import_repo(path, config)
        except Exception as error:  # the oracle itself failed: say so, do not guess
            verdict = {"status": -1, "message": f"oracle error: {error!r}"[:MESSAGE_CHARS], "body": None}
        verdict.pop("seconds", None)
        if not args.body:
            verdict.pop("body", None)
        if args.translate_seed:
            try:
                translated = oracle.import_translated(path, config)
            except Exception as error:
                translated = {"status": -1, "message": f"oracle error: {error!r}"[:MESSAGE_CHARS]}
            if translated is not None:
                translated.pop("seconds", None)
                if not args.body:
                    translated.pop("body", None)
                verdict["translated"] = translated
        results[label] = verdict
    text = json.dumps(results, indent=2, sort_keys=True) + "\n"
    if args.out:
        args.out.write_text(text)
    else:
        sys.__stdout__.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
