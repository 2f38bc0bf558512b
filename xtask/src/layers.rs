//! The layer map of `lib.rs`, enforced: a module may name (`crate::x`) only
//! modules of lower layers, so no import goes up and no circle exists.

use std::collections::BTreeMap;
use std::path::Path;

/// Layers from the bottom; keep in sync with the table in `lib.rs`.
const LAYERS: &[&[&str]] = &[
    &["codes", "hashing", "options", "paths", "pyrepr", "suggest"],
    &["source", "schema_check"],
    &["diagnostics"],
    &["input", "output", "archive", "facts", "progress"],
    &["doc", "python"],
    &["config", "report", "synthetic"],
    &["context"],
    &["domino", "dioptra", "discover"],
    &["graph"],
    &["analysis"],
    &["emit", "incremental"],
    &["pipeline"],
    &["render"],
    &["cli"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level modules a source text names through `crate::`.
fn named_modules(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(group) = after.strip_prefix('{') {
                // `use crate::{a, b::c}`
                let inner = group.split('}').next().unwrap_or("");
                names.extend(
                    inner
                        .split(',')
                        .map(|item| item.trim().split("::").next().unwrap_or("").to_string())
                        .filter(|item| !item.is_empty() && item != "self"),
                );
            } else if !name.is_empty() {
                names.push(name);
            }
            rest = &after[after.len().min(1)..];
        }
    }
    names
}

fn source_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_import_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    let mut unknown = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if matches!(module.as_str(), "lib" | "main" | "layers") {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            unknown.insert(module, relative.display().to_string());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for named in named_modules(&text) {
            if named == module {
                continue;
            }
            match layer_of(&named) {
                Some(layer) if layer < own => {}
                Some(layer) => violations.push(format!(
                    "{} (layer {own}, `{module}`) names `{named}` (layer {layer})",
                    relative.display()
                )),
                None => {
                    unknown.insert(named, relative.display().to_string());
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from the layer map: {unknown:?}"
    );
    assert!(
        violations.is_empty(),
        "imports that go up or sideways:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_checker_sees_every_form_of_import() {
    let names = named_modules(
        "use crate::a::b;\nuse crate::{c, d::e, self};\nlet x = crate::f::g(); // crate::h\n",
    );
    assert_eq!(names, ["a", "c", "d", "f"]);
}
