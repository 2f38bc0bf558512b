//! The in-house JSON Schema validator (`xtask::schema_check`) against the
//! `jsonschema` crate (a dev-dependency only): for every schema of `schemas/`,
//! both must call the same instances valid. The instances are the real files of
//! the workspace (`pieces-repos/`, the fixtures, the Dioptra corpus), instances
//! generated from each schema, and mutations of both.

use std::path::Path;

use serde_json::{Map, Value, json};
use xtask::schema_check::Validator;

use crate::helpers::workspace_root;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() % n.max(1)
    }

    fn coin(&mut self) -> bool {
        self.below(2) == 0
    }
}

fn schemas() -> Vec<(String, Value)> {
    let dir = workspace_root().join("schemas");
    let mut schemas: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    schemas
}

/// The schema with every `$ref` to another file replaced by that file's schema
/// (how the crate, without a resolver, sees `cargo-manifest`'s reference).
fn inline_documents(schema: &Value, documents: &[(String, Value)]) -> Value {
    match schema {
        Value::Object(members) => {
            if let Some(Value::String(reference)) = members.get("$ref")
                && !reference.starts_with('#')
            {
                let (_, target) = documents.iter().find(|(n, _)| n == reference).unwrap();
                return target.clone();
            }
            Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), inline_documents(v, documents)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| inline_documents(v, documents))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The JSON and TOML files of the workspace, as the tool reads them.
fn real_instances() -> Vec<Value> {
    let root = workspace_root();
    let mut files: Vec<_> = ["pieces-repos", "tests"]
        .iter()
        .flat_map(|top| walkdir::WalkDir::new(root.join(top)))
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.extension().is_some_and(|e| e == "json" || e == "toml"))
        .collect();
    files.push(root.join("Cargo.toml"));
    files.sort();
    let mut instances = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).ok()
        } else {
            let file =
                xtask::source::SourceFile::new(path.clone(), path.display().to_string(), text);
            xtask::doc::parse_toml(&file).ok().map(|d| d.value)
        };
        if let Some(value) = value {
            if let Some(table) = value.pointer("/workspace/metadata/pieces") {
                instances.push(table.clone());
            }
            instances.push(value);
        }
    }
    assert!(instances.len() > 200, "{} files read", instances.len());
    instances
}

/// A string the pattern accepts.
fn sample_for(pattern: &str) -> Value {
    match pattern {
        "^[0-9a-f]{64}$" => json!("0123456789abcdef".repeat(4)),
        "^[A-Za-z0-9_-]+$" => json!("env-abc_1"),
        "^[a-z]+::[a-z0-9]+(-[a-z0-9]+)*$" => json!("domino::missing-field"),
        other => panic!("no sample for {other}"),
    }
}

/// An instance built from the schema: mostly valid, with random choices
/// (optional properties, array lengths, `anyOf` branches).
fn generate(schema: &Value, root: &Value, rng: &mut Rng, depth: usize) -> Value {
    let Value::Object(s) = schema else {
        return Value::Null;
    };
    if depth > 12 {
        return Value::Null;
    }
    if let Some(Value::String(reference)) = s.get("$ref") {
        let target = root.pointer(reference.trim_start_matches('#')).unwrap();
        return generate(target, root, rng, depth + 1);
    }
    if let Some(value) = s.get("const") {
        return value.clone();
    }
    if let Some(Value::Array(options)) = s.get("enum") {
        return options[rng.below(options.len())].clone();
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(options)) = s.get(key) {
            return generate(&options[rng.below(options.len())], root, rng, depth + 1);
        }
    }
    if let Some(Value::Array(all)) = s.get("allOf") {
        return generate(&all[0], root, rng, depth + 1);
    }
    let kind = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types[rng.below(types.len())].as_str().unwrap().to_string(),
        _ if s.contains_key("properties") => "object".into(),
        _ => ["string", "integer", "null", "object"][rng.below(4)].into(),
    };
    match kind.as_str() {
        "object" => {
            let mut object = Map::new();
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(properties)) = s.get("properties") {
                for (name, subschema) in properties {
                    if required.contains(&name.as_str()) || rng.coin() {
                        object.insert(name.clone(), generate(subschema, root, rng, depth + 1));
                    }
                }
            }
            if let Some(extra @ Value::Object(_)) = s.get("additionalProperties") {
                for _ in 0..rng.below(3) {
                    let key = match s.get("propertyNames").and_then(|p| p.get("pattern")) {
                        Some(Value::String(pattern)) => {
                            sample_for(pattern).as_str().unwrap().to_string()
                        }
                        _ => format!("key{}", rng.below(5)),
                    };
                    object.insert(key, generate(extra, root, rng, depth + 1));
                }
            }
            Value::Object(object)
        }
        "array" => {
            let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            let items = s.get("items").cloned().unwrap_or(json!({}));
            let len = min + rng.below(3);
            Value::Array(
                (0..len)
                    .map(|_| generate(&items, root, rng, depth + 1))
                    .collect(),
            )
        }
        "string" => match s.get("pattern") {
            Some(Value::String(pattern)) => sample_for(pattern),
            _ => json!(["s", "text é", "a"][rng.below(3)]),
        },
        "integer" => {
            json!(s.get("minimum").and_then(Value::as_i64).unwrap_or(0) + rng.below(3) as i64)
        }
        "number" => json!(1.5),
        "boolean" => json!(rng.coin()),
        _ => Value::Null,
    }
}

/// Every JSON pointer of the value's nodes.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (k, v) in members {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// The value with one to three random edits.
fn mutate(value: &Value, rng: &mut Rng) -> Value {
    let replacements = [
        json!(null),
        json!(true),
        json!(0),
        json!(1),
        json!(1.0),
        json!(-1),
        json!(1.5),
        json!(1024.0),
        json!(1023),
        json!(""),
        json!("x"),
        json!("ABC"),
        json!("function"),
        json!("artifact"),
        json!("domino-py"),
        json!("allow"),
        json!("Bad::Code"),
        json!("0123456789abcdef".repeat(4)),
        json!([]),
        json!([1]),
        json!(["a"]),
        json!({}),
        json!({"name": "n"}),
    ];
    let mut value = value.clone();
    for _ in 0..1 + rng.below(3) {
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        let target = all[rng.below(all.len())].clone();
        let choice = rng.below(5);
        let node = value.pointer_mut(&target).unwrap();
        match (choice, node) {
            (0, Value::Object(members)) if !members.is_empty() => {
                let key = members
                    .keys()
                    .nth(rng.below(members.len()))
                    .unwrap()
                    .clone();
                members.remove(&key);
            }
            (1, Value::Object(members)) => {
                let key =
                    ["zz_extra", "name", "kind", "inputs", "domino::a-b", "Bad"][rng.below(6)];
                members.insert(
                    key.into(),
                    replacements[rng.below(replacements.len())].clone(),
                );
            }
            (0, Value::Array(items)) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            (1, Value::Array(items)) => {
                let copy = items.first().cloned().unwrap_or(json!("a"));
                items.push(copy);
            }
            (_, node) => *node = replacements[rng.below(replacements.len())].clone(),
        }
    }
    value
}

#[test]
fn the_in_house_validator_agrees_with_the_jsonschema_crate() {
    let schemas = schemas();
    assert!(schemas.len() >= 8);
    let documents: Vec<(&str, &Value)> = schemas.iter().map(|(n, s)| (n.as_str(), s)).collect();
    let real = real_instances();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for (name, schema) in &schemas {
        let ours = Validator::with_documents(schema, &documents).unwrap();
        let inlined = inline_documents(schema, &schemas);
        let theirs = jsonschema::validator_for(&inlined).unwrap();
        let mut instances = real.clone();
        for _ in 0..60 {
            instances.push(generate(&inlined, &inlined, &mut rng, 0));
        }
        let originals = instances.len();
        for index in 0..originals {
            for _ in 0..8 {
                let mutated = mutate(&instances[index], &mut rng);
                instances.push(mutated);
            }
        }
        let (mut valid, mut invalid) = (0, 0);
        for instance in &instances {
            let expected = theirs.is_valid(instance);
            let errors = ours.iter_errors(instance);
            assert_eq!(
                errors.is_empty(),
                expected,
                "{name}: ours {errors:?}, the crate's {:?}\n{instance:#}",
                theirs
                    .iter_errors(instance)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            );
            assert_eq!(ours.is_valid(instance), expected, "{name}: {instance:#}");
            if expected {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
        // Both answers occur often, or the comparison says little.
        assert!(
            valid > 50 && invalid > 50,
            "{name}: {valid} valid, {invalid} invalid"
        );
    }
}

#[test]
fn the_real_files_validate_as_before() {
    // The configs the tool validates: every real one of the example monorepo is
    // valid for its own schema.
    let root = workspace_root().join("pieces-repos");
    let config =
        xtask::schema_check::embedded(include_str!("../schemas/domino-config.schema.json"));
    let metadata =
        xtask::schema_check::embedded(include_str!("../schemas/piece-metadata.schema.json"));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&root) {
        let path = entry.unwrap().into_path();
        let validator = match path.file_name().and_then(|n| n.to_str()) {
            Some("config.toml") => &config,
            Some("metadata.json") => &metadata,
            _ => continue,
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap()
        } else {
            let file =
                xtask::source::SourceFile::new(path.clone(), path.display().to_string(), text);
            xtask::doc::parse_toml(&file).unwrap().value
        };
        let errors = validator.iter_errors(&value);
        assert!(errors.is_empty(), "{}: {errors:?}", relative(&path));
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}
