//! Domino outputs against the reference: the examples in `pieces-repos/` are
//! regenerated from scratch by the real binary and must be byte-identical to the
//! `.domino/` files and Dockerfiles that domino-py 0.9.4 produced
//! (`tests/oracle/domino_goldens.sh` made them), and broken repositories must be
//! reported at the right place.

use crate::helpers::{Run, copy_tree, run, workspace_root, xtask};

const DOMINO_EXAMPLES: &[&str] = &[
    "data-ops-pieces",
    "geospatial-pieces",
    "text-analytics-pieces",
];

/// A temporary monorepo with the workspace's Cargo.toml (for the source URLs)
/// and copies of the Domino examples.
fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        workspace_root().join("Cargo.toml"),
        dir.path().join("Cargo.toml"),
    )
    .unwrap();
    for name in DOMINO_EXAMPLES {
        copy_tree(
            &workspace_root().join("pieces-repos").join(name),
            &dir.path().join("pieces-repos").join(name),
        );
    }
    dir
}

/// Runs `build-all --dist <dir>/dist`, which must succeed; returns the dist.
fn build_all_into(dir: &std::path::Path) -> std::path::PathBuf {
    let dist = dir.join("dist");
    let Run {
        code,
        stdout,
        stderr,
    } = run(xtask(dir).arg("build-all").arg("--dist").arg(&dist));
    assert_eq!(code, 0, "{stdout}{stderr}");
    dist
}

#[test]
fn examples_pass_check_including_the_drift_check() {
    let dir = examples_copy();
    let Run {
        code,
        stdout,
        stderr,
    } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn regenerated_files_are_byte_identical_to_the_reference() {
    let dir = examples_copy();
    for name in DOMINO_EXAMPLES {
        std::fs::remove_dir_all(dir.path().join("pieces-repos").join(name).join(".domino"))
            .unwrap();
    }
    // Without the committed files, check reports them missing...
    let Run { code, stderr, .. } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr.matches("domino::stale-generated-file").count(),
        6,
        "{stderr}"
    );
    // ...and build-all writes them exactly as the reference did.
    let dist = build_all_into(dir.path());
    let mut mismatches = Vec::new();
    for name in DOMINO_EXAMPLES {
        for file in ["compiled_metadata.json", "dependencies_map.json"] {
            let golden = std::fs::read(
                workspace_root()
                    .join("pieces-repos")
                    .join(name)
                    .join(".domino")
                    .join(file),
            )
            .unwrap();
            let ours = std::fs::read(
                dir.path()
                    .join("pieces-repos")
                    .join(name)
                    .join(".domino")
                    .join(file),
            )
            .unwrap();
            if golden != ours {
                mismatches.push(format!("{name}/.domino/{file}"));
            }
        }
        let goldens = workspace_root().join("tests/goldens/domino").join(name);
        let mut golden_names: Vec<String> = std::fs::read_dir(&goldens)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        golden_names.sort();
        let mut our_names: Vec<String> = std::fs::read_dir(dist.join("domino").join(name))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        our_names.sort();
        assert_eq!(golden_names, our_names, "{name}: group Dockerfiles");
        for file in golden_names {
            let golden = std::fs::read_to_string(goldens.join(&file)).unwrap();
            let ours = std::fs::read_to_string(dist.join("domino").join(name).join(&file)).unwrap();
            if golden != ours {
                mismatches.push(format!(
                    "{name}/{file}:\n{ours}\n--- expected ---\n{golden}"
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "differs from the reference: {mismatches:#?}"
    );
    // A second check is clean.
    let Run { code, stderr, .. } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 0, "{stderr}");
}

/// `generator = "domino-py-iisas"`: the examples regenerate byte for byte as the IISAS fork
/// (domino-py-iisas 1.0.50, pydantic 2.11.7) wrote them (`tests/oracle/domino_goldens_iisas.sh`
/// made `tests/goldens/domino-iisas/`), and files of the other generator get a hint.
#[test]
fn the_iisas_generator_matches_its_reference_byte_for_byte() {
    let dir = examples_copy();
    let manifest = dir.path().join("Cargo.toml");
    let original = std::fs::read_to_string(&manifest).unwrap();
    let iisas = original.replace(
        "[workspace.metadata.pieces]\n",
        "[workspace.metadata.pieces]\ngenerator = \"domino-py-iisas\"\n",
    );
    assert_ne!(iisas, original);
    std::fs::write(&manifest, &iisas).unwrap();
    // The committed files are domino-py's: stale for this generator, with the hint.
    let Run { code, stderr, .. } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr.matches("domino::stale-generated-file").count(),
        DOMINO_EXAMPLES.len(),
        "only compiled_metadata.json differs: {stderr}"
    );
    assert_eq!(
        stderr
            .matches("committed files match domino-py output; set `generator = \"domino-py\"`")
            .count(),
        DOMINO_EXAMPLES.len(),
        "{stderr}"
    );
    let dist = build_all_into(dir.path());
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for name in DOMINO_EXAMPLES {
        let goldens = workspace_root()
            .join("tests/goldens/domino-iisas")
            .join(name);
        let mut names: Vec<String> = std::fs::read_dir(&goldens)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut dockerfiles: Vec<String> = std::fs::read_dir(dist.join("domino").join(name))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        dockerfiles.sort();
        let golden_dockerfiles: Vec<String> = names
            .iter()
            .filter(|n| n.ends_with(".Dockerfile"))
            .cloned()
            .collect();
        assert_eq!(golden_dockerfiles, dockerfiles, "{name}: group Dockerfiles");
        for file in names {
            let ours = if file.ends_with(".Dockerfile") {
                dist.join("domino").join(name).join(&file)
            } else {
                dir.path()
                    .join("pieces-repos")
                    .join(name)
                    .join(".domino")
                    .join(&file)
            };
            compared += 1;
            if std::fs::read(goldens.join(&file)).unwrap() != std::fs::read(&ours).unwrap() {
                mismatches.push(format!("{name}/{file}"));
            }
        }
    }
    assert_eq!(compared, 14);
    assert!(
        mismatches.is_empty(),
        "differs from domino-py-iisas: {mismatches:#?}"
    );
    let Run { code, stderr, .. } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 0, "{stderr}");
    // Back to the default generator: the IISAS files are stale, with the hint.
    std::fs::write(&manifest, &original).unwrap();
    let Run { code, stderr, .. } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr
            .matches("committed files match domino-py-iisas output; set `generator = \"domino-py-iisas\"` in [workspace.metadata.pieces.repositories.")
            .count(),
        DOMINO_EXAMPLES.len(),
        "{stderr}"
    );
}

#[test]
fn stale_outputs_are_reported_with_the_fixing_command() {
    let dir = examples_copy();
    let metadata = dir
        .path()
        .join("pieces-repos/data-ops-pieces/pieces/SleepPiece/models.py");
    let text = std::fs::read_to_string(&metadata)
        .unwrap()
        .replace("default=1.0", "default=2.0");
    std::fs::write(&metadata, text).unwrap();
    let Run { code, stderr, .. } = run(xtask(dir.path()).arg("check"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[domino::stale-generated-file]: pieces-repos/data-ops-pieces/.domino/compiled_metadata.json is out of date"), "{stderr}");
    assert!(stderr.contains("/SleepPiece/input_schema/properties/sleep_time/default: committed 1.0 but generated 2.0"), "{stderr}");
    assert!(
        stderr.contains("cargo xtask build-all --only data-ops-pieces"),
        "{stderr}"
    );
    // It points at the committed value that differs.
    assert!(
        stderr.contains("data-ops-pieces/.domino/compiled_metadata.json:")
            && stderr.contains("differs from what would be generated"),
        "{stderr}"
    );
}

#[test]
fn every_reference_error_is_reported_at_once_with_positions() {
    let dir = examples_copy();
    let repo = dir.path().join("pieces-repos/geospatial-pieces");
    // 1. name != folder, 2. explicit null, 3. a dependency file that does not exist
    std::fs::write(
        repo.join("pieces/BufferGeometryPiece/metadata.json"),
        "{\n    \"name\": \"BufferPiece\",\n    \"description\": \"Buffers.\",\n    \"dependency\": {\n        \"dockerfile\": null,\n        \"requirements_file\": \"requirements_gео.txt\"\n    }\n}\n",
    )
    .unwrap();
    // 4. missing description (schema), 5. piece.py without the class
    std::fs::write(
        repo.join("pieces/ClipRasterPiece/metadata.json"),
        "{\"name\": \"ClipRasterPiece\", \"tags\": [1]}",
    )
    .unwrap();
    std::fs::write(
        repo.join("pieces/ClipRasterPiece/piece.py"),
        "class Clip:\n    pass\n",
    )
    .unwrap();
    // 6. a missing models.py
    std::fs::remove_file(repo.join("pieces/GeocodeAddressPiece/models.py")).unwrap();
    // 7. an upper-case repository name
    let config = std::fs::read_to_string(repo.join("config.toml"))
        .unwrap()
        .replace("\"geospatial_pieces\"", "\"Geospatial_Pieces\"");
    std::fs::write(repo.join("config.toml"), config).unwrap();
    let result = run(xtask(dir.path()).args([
        "check",
        "--message-format",
        "json",
        "--only",
        "geospatial-pieces",
    ]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let found: Vec<(String, String, String)> = result
        .diagnostics()
        .into_iter()
        .map(|m| {
            let location = format!(
                "{}:{}:{}",
                m["file"].as_str().unwrap_or(""),
                m["line"].as_u64().unwrap_or(0),
                m["column"].as_u64().unwrap_or(0)
            );
            (
                m["code"].as_str().unwrap().to_string(),
                location,
                m["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |code: &str, location: &str, message: &str| {
        found
            .iter()
            .any(|(c, l, m)| c == code && l.ends_with(location) && m.contains(message))
    };
    let expected = [
        (
            "domino::inconsistent-name",
            "BufferGeometryPiece/metadata.json:2:13",
            "The following Pieces have inconsistent names: BufferGeometryPiece",
        ),
        (
            "domino::invalid-metadata",
            "BufferGeometryPiece/metadata.json:5:23",
            "None is not of type 'string'",
        ),
        (
            "domino::missing-dependency-file",
            "BufferGeometryPiece/metadata.json:6:30",
            "missing dependency file requirements_gео.txt defined for BufferGeometryPiece",
        ),
        (
            "domino::invalid-metadata",
            "ClipRasterPiece/metadata.json:1:1",
            "'description' is a required property",
        ),
        (
            "domino::invalid-metadata",
            "ClipRasterPiece/metadata.json:1:38",
            "1 is not of type 'string'",
        ),
        (
            "domino::missing-piece-class",
            "ClipRasterPiece/piece.py:1:1",
            "piece.py does not define the class `ClipRasterPiece`",
        ),
        (
            "domino::missing-models",
            "GeocodeAddressPiece:0:0",
            "missing 'models.py' for GeocodeAddressPiece",
        ),
        (
            "domino::invalid-image-reference",
            "geospatial-pieces/config.toml:3:19",
            "REPOSITORY_NAME 'Geospatial_Pieces'",
        ),
    ];
    for (code, location, message) in expected {
        assert!(
            has(code, location, message),
            "missing {code} at {location} ({message}) in {found:#?}"
        );
    }
}

#[test]
fn shared_requirements_build_one_environment_and_dirty_exactly_their_groups() {
    let dir = examples_copy();
    let build = |extra: &[&str]| {
        let Run {
            code,
            stdout,
            stderr,
        } = run(xtask(dir.path())
            .args(["build-all", "--explain", "--dist", "dist"])
            .args(extra));
        assert_eq!(code, 0, "{stdout}{stderr}");
        stderr
    };
    build(&[]);
    let bake: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("dist/docker-bake.json")).unwrap())
            .unwrap();
    let targets = bake["target"].as_object().unwrap();
    let environment_of = |target: &str| {
        targets[target]["contexts"]["env"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // data-ops requirements.txt and geospatial requirements_base.txt are identical files.
    assert_eq!(
        environment_of("data-ops-pieces-group0"),
        environment_of("geospatial-pieces-group2")
    );
    assert_ne!(
        environment_of("data-ops-pieces-group0"),
        environment_of("geospatial-pieces-group0")
    );
    let environments = targets.keys().filter(|k| k.starts_with("env-")).count();
    let groups = targets.keys().filter(|k| k.contains("-group")).count();
    assert_eq!((environments, groups), (6, 8));

    let stderr = build(&[]);
    assert!(
        stderr.contains("0 repositories recompiled, 3 fresh"),
        "{stderr}"
    );

    // requirements_base.txt is used by group2 directly and by group0 through `-r`.
    let shared = dir
        .path()
        .join("pieces-repos/geospatial-pieces/dependencies/requirements_base.txt");
    let mut text = std::fs::read_to_string(&shared).unwrap();
    text.push_str("urllib3==2.1.0\n");
    std::fs::write(&shared, text).unwrap();
    let stderr = build(&[]);
    assert!(
        stderr.contains("recompiled pieces-repos/geospatial-pieces: pieces-repos/geospatial-pieces/dependencies/requirements_base.txt changed; image groups to rebuild: group0, group2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fresh pieces-repos/data-ops-pieces: nothing changed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 repository recompiled, 2 fresh"),
        "{stderr}"
    );
}

#[test]
fn a_dependency_file_nothing_uses_is_a_warning() {
    let dir = examples_copy();
    let deps = dir.path().join("pieces-repos/data-ops-pieces/dependencies");
    std::fs::write(deps.join("requirements_old.txt"), "flask==1.0\n").unwrap();
    let Run { code, stderr, .. } =
        run(xtask(dir.path()).args(["check", "--only", "data-ops-pieces"]));
    assert_eq!(code, 0, "warnings do not fail the run: {stderr}");
    assert!(
        stderr.contains("warning[domino::unused-dependency-file]: dependencies/requirements_old.txt is not used by any piece"),
        "{stderr}"
    );
    // constraints.txt is used through `-c` from requirements_sql.txt: no warning.
    assert!(!stderr.contains("constraints.txt is not used"), "{stderr}");
    assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
}

#[test]
fn without_a_configured_source_url_the_committed_one_is_kept() {
    let dir = examples_copy();
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let unconfigured = text.replace(
        "[workspace.metadata.pieces.repositories.geospatial-pieces]\nsource_url = \"https://github.com/acme-geo/geospatial_pieces\"\n",
        "",
    );
    assert_ne!(text, unconfigured, "the fixture changed: update the edit");
    std::fs::write(&manifest, unconfigured).unwrap();
    let Run { code, stderr, .. } = run(xtask(dir.path()).args(["check", "-v"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("source_url https://github.com/acme-geo/geospatial_pieces (from the committed .domino/compiled_metadata.json"),
        "{stderr}"
    );
}

#[test]
fn misspelt_keys_are_warnings_with_the_known_key() {
    let dir = examples_copy();
    let repo = dir.path().join("pieces-repos/geospatial-pieces");
    let metadata = repo.join("pieces/ClipRasterPiece/metadata.json");
    let text = std::fs::read_to_string(&metadata).unwrap();
    std::fs::write(&metadata, text.replace("\"tags\"", "\"tagz\"")).unwrap();
    let config = repo.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("REPOSITORY_LABEL", "REPOSITORY_LABLE"),
    )
    .unwrap();
    let result = run(xtask(dir.path()).args(["check", "--message-format", "json"]));
    let unknown: Vec<(String, String)> = result
        .diagnostics()
        .iter()
        .filter(|d| d["code"] == "domino::unknown-key")
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["file"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        unknown
            .iter()
            .any(|(f, h)| f.ends_with("ClipRasterPiece/metadata.json") && h.contains("`tags`")),
        "{unknown:?}"
    );
    assert!(
        unknown
            .iter()
            .any(|(f, h)| f.ends_with("config.toml") && h.contains("`REPOSITORY_LABEL`")),
        "{unknown:?}"
    );
}

#[test]
fn modules_of_the_repository_are_followed_as_the_reference_imports_them() {
    let dir = examples_copy();
    let pieces = dir.path().join("pieces-repos/geospatial-pieces/pieces");
    // The models of ClipRasterPiece move to `pieces/common/geometry.py` (a namespace
    // package: `pieces/` is on the reference's `sys.path`), and its piece class gets
    // `piece_function` from a base class there: same schemas, nothing to report.
    let models = pieces.join("ClipRasterPiece/models.py");
    let text = std::fs::read_to_string(&models).unwrap();
    let start = text.find("class Resampling").unwrap();
    let end = text.find("class InputModel").unwrap();
    std::fs::create_dir_all(pieces.join("common")).unwrap();
    std::fs::write(
        pieces.join("common/geometry.py"),
        format!(
            "from enum import Enum\n\nfrom pydantic import BaseModel\n\n\n{}",
            &text[start..end]
        ),
    )
    .unwrap();
    std::fs::write(
        &models,
        format!(
            "{}from common.geometry import BoundingBox, Resampling\n\n\n{}",
            &text[..start],
            &text[end..]
        ),
    )
    .unwrap();
    std::fs::write(
        pieces.join("common/base.py"),
        "from domino.base_piece import BasePiece\n\n\nclass ClipBase(BasePiece):\n    def piece_function(self, input_data):\n        return None\n\n\nclass NoFunction(BasePiece):\n    pass\n",
    )
    .unwrap();
    let piece = pieces.join("ClipRasterPiece/piece.py");
    let text = std::fs::read_to_string(&piece).unwrap();
    let body = text.find("    def piece_function").unwrap();
    std::fs::write(
        &piece,
        format!(
            "from common.base import ClipBase\n{}    pass\n",
            text[..body].replace("(BasePiece)", "(ClipBase)")
        ),
    )
    .unwrap();
    let result = run(xtask(dir.path()).args(["check", "--only", "geospatial-pieces"]));
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);

    // A base class without the method, followed to another module, and a typo in a
    // type: each reported where it is.
    std::fs::write(
        &piece,
        "from common import base\n\n\nclass ClipRasterPiece(base.NoFunction):\n    pass\n",
    )
    .unwrap();
    let geometry = pieces.join("common/geometry.py");
    let text = std::fs::read_to_string(&geometry).unwrap();
    std::fs::write(&geometry, text.replacen("min_x: float", "min_x: flaot", 1)).unwrap();
    let result = run(xtask(dir.path()).args([
        "check",
        "--message-format",
        "json",
        "--only",
        "geospatial-pieces",
    ]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let found: Vec<(String, String, String, String)> = result
        .diagnostics()
        .into_iter()
        .map(|m| {
            (
                m["code"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}:{}",
                    m["file"].as_str().unwrap_or(""),
                    m["line"].as_u64().unwrap_or(0)
                ),
                m["message"].as_str().unwrap_or("").to_string(),
                m["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        found
            .iter()
            .any(|(c, l, m, _)| c == "domino::missing-piece-function"
                && l.ends_with("ClipRasterPiece/piece.py:4")
                && m.contains("ClipRasterPiece")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, l, m, h)| c == "domino::undefined-name"
                && l.ends_with("common/geometry.py:14")
                && m == "name `flaot` is not defined"
                && h.starts_with("did you mean `float`?")),
        "{found:#?}"
    );
    assert!(
        !found
            .iter()
            .any(|(c, ..)| c == "domino::unsupported-model-construct"),
        "{found:#?}"
    );
}
