"""Runs the reference, domino-py 0.9.4 `domino piece organize`, on one repository copy.

Used only to make golden files (it imports, i.e. executes, the repository's models.py).
Two controlled deviations from a plain `domino piece organize`, both documented in the README:
  * `pieces/` is listed in sorted order (the reference uses the raw directory order, which
    differs between machines); our tool orders new pieces the same way;
  * image builds are replaced by a recorder: the reference's own build step still computes
    `source_image` and writes the Dockerfile it would build, which we keep as golden files,
    but no docker daemon is called. `secrets` (a Python set in the reference, in random order)
    are rewritten in first-seen order, then the map is dumped exactly as the reference does.

usage: domino_organize.py <repository copy> <source_url or ""> <dockerfiles out dir>
"""
import json
import os
import pathlib
import shutil
import sys

repo, source_url, dockerfiles_out = sys.argv[1], sys.argv[2], sys.argv[3]
os.chdir(repo)

_glob = pathlib.Path.glob
pathlib.Path.glob = lambda self, pattern, *a, **k: iter(sorted(_glob(self, pattern, *a, **k)))

from domino.cli.utils import pieces_repository  # noqa: E402
from domino.scripts import build_docker_images_pieces as builder  # noqa: E402

os.makedirs(dockerfiles_out, exist_ok=True)


def record_dockerfile(source_image_name, path=".", dockerfile="Dockerfile-tmp"):
    group = source_image_name.rsplit("-", 1)[1]
    shutil.copyfile(pathlib.Path(path) / dockerfile, pathlib.Path(dockerfiles_out) / f"{group}.Dockerfile")
    (pathlib.Path(path) / dockerfile).unlink()


builder.build_image_from_tmp_dockerfile = record_dockerfile

pieces_repository.organize_pieces_repository(
    build_images=True, source_url=source_url or None, tag_overwrite=None, dev=False
)

# secrets: first-seen order instead of the set's random order (content unchanged).
with open(".domino/compiled_metadata.json") as f:
    compiled = json.load(f)
with open(".domino/dependencies_map.json") as f:
    groups = json.load(f)
for group in groups.values():
    seen = []
    for piece in group["pieces"]:
        schema = compiled[piece].get("secrets_schema")
        for name in (schema or {}).get("properties", {}):
            if name not in seen:
                seen.append(name)
    assert sorted(seen) == sorted(group["secrets"]), (seen, group["secrets"])
    group["secrets"] = seen
with open(".domino/dependencies_map.json", "w") as f:
    json.dump(groups, f, indent=4)
