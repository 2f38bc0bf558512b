use std::path::Path;

use serde_json::{Value, json};

use super::*;

fn validator(schema: Value) -> Validator {
    Validator::new(&schema).unwrap()
}

fn messages(schema: Value, instance: Value) -> Vec<String> {
    let validator = validator(schema);
    let errors = validator.iter_errors(&instance);
    assert_eq!(errors.is_empty(), validator.is_valid(&instance));
    errors.into_iter().map(|e| e.message).collect()
}

/// Every schema of `schemas/`, by file name.
pub(crate) fn schema_files() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut schemas: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    schemas
}

#[test]
fn every_schema_compiles_so_uses_only_known_keywords_and_patterns() {
    let schemas = schema_files();
    assert!(schemas.len() >= 8, "{}", schemas.len());
    let documents: Vec<(&str, &Value)> = schemas.iter().map(|(n, s)| (n.as_str(), s)).collect();
    for (name, schema) in &schemas {
        if let Err(error) = Validator::with_documents(schema, &documents) {
            panic!("{name}: {error}");
        }
    }
    // The embedded ones compile on their own (their `$ref`s stay inside).
    for text in [
        include_str!("../../../schemas/catalog.schema.json"),
        include_str!("../../../schemas/dioptra-manifest.schema.json"),
        include_str!("../../../schemas/dioptra-resources-1.1.schema.json"),
        include_str!("../../../schemas/dioptra-resources-seed.schema.json"),
        include_str!("../../../schemas/domino-config.schema.json"),
        include_str!("../../../schemas/piece-metadata.schema.json"),
        include_str!("../../../schemas/workspace-metadata.schema.json"),
    ] {
        embedded(text);
    }
}

#[test]
fn what_it_does_not_implement_is_refused_when_compiling() {
    for (schema, expected) in [
        (json!({"maxLength": 3}), "`maxLength` is not supported"),
        (
            json!({"properties": {"a": {"patternProperties": {}}}}),
            "/properties/a: the keyword `patternProperties`",
        ),
        (json!({"pattern": "^a+$"}), "no matcher for the pattern"),
        (json!({"$ref": "#/definitions/x"}), "only `#/$defs/...`"),
        (
            json!({"$ref": "other.json"}),
            "unknown document `other.json`",
        ),
        (json!({"$ref": "#/$defs/missing"}), "does not exist"),
        (json!({"$defs": {"x": {"format": "uri"}}}), "`format`"),
        (json!({"then": {"unknown": 1}}), "`unknown`"),
        (json!({"type": "float"}), "`type` is a type name"),
        (json!({"minLength": -1}), "a non-negative integer"),
        (json!({"anyOf": []}), "a non-empty list"),
        (json!(3), "a schema is an object or a boolean"),
    ] {
        let error = Validator::new(&schema).unwrap_err().to_string();
        assert!(error.contains(expected), "{schema}: {error}");
    }
}

#[test]
fn messages_are_python_jsonschemas() {
    let object = json!({
        "type": "object",
        "required": ["name", "kind"],
        "additionalProperties": false,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "kind": {"enum": ["a", "b"]},
            "version": {"const": 1},
            "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "size": {"type": "integer", "minimum": 1},
            "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "default": {"type": ["string", "null"]},
        }
    });
    assert_eq!(
        messages(
            object.clone(),
            json!({"extra": 1, "another": [1], "name": ""})
        ),
        // In the schema's keyword order, as Python's `iter_errors`.
        [
            "'kind' is a required property",
            "Additional properties are not allowed ('another', 'extra' were unexpected)",
            "'' is too short",
        ]
    );
    assert_eq!(
        messages(
            object.clone(),
            json!({"name": 3, "kind": "c", "version": 2, "hash": "ABC", "size": 0,
                   "tags": [], "default": 1.5, "zzz": null}),
        ),
        [
            "Additional properties are not allowed ('zzz' was unexpected)",
            "3 is not of type 'string'",
            "'c' is not one of ['a', 'b']",
            "1 was expected",
            "'ABC' does not match '^[0-9a-f]{64}$'",
            "0 is less than the minimum of 1",
            "[] is too short",
            "1.5 is not of type 'string', 'null'",
        ]
    );
    assert_eq!(
        messages(
            object,
            json!({"name": "n", "kind": "a", "tags": [true, "x", null]})
        ),
        [
            "True is not of type 'string'",
            "None is not of type 'string'"
        ]
    );
    assert_eq!(
        messages(
            json!({"anyOf": [{"type": "null"}, {"type": "string"}]}),
            json!(2)
        ),
        ["2 is not valid under any of the given schemas"]
    );
    assert_eq!(
        messages(
            json!({"oneOf": [{"type": "null"}, {"type": "string"}]}),
            json!([])
        ),
        ["[] is not valid under any of the given schemas"]
    );
    assert_eq!(
        messages(
            json!({"oneOf": [{"type": "number"}, {"type": "null"}, {"type": "integer"}]}),
            json!(2)
        ),
        ["2 is valid under each of {'type': 'integer'}, {'type': 'number'}"]
    );
    assert_eq!(
        messages(
            json!({"not": {"required": ["inputs"]}}),
            json!({"inputs": []})
        ),
        ["{'inputs': []} should not be valid under {'required': ['inputs']}"]
    );
    assert_eq!(
        messages(
            json!({"propertyNames": {"pattern": "^[a-z]+::[a-z0-9]+(-[a-z0-9]+)*$"}}),
            json!({"domino::ok": 1, "Bad": 2})
        ),
        ["'Bad' does not match '^[a-z]+::[a-z0-9]+(-[a-z0-9]+)*$'"]
    );
    assert_eq!(
        messages(json!({"minimum": 1024}), json!(1.5)),
        ["1.5 is less than the minimum of 1024"]
    );
    assert_eq!(
        messages(json!({"const": "x"}), json!("y")),
        ["'x' was expected"]
    );
}

#[test]
fn integers_and_numbers_as_json_schema_says() {
    let integer = validator(json!({"type": "integer"}));
    for valid in [
        json!(1),
        json!(1.0),
        json!(-3),
        json!(u64::MAX),
        json!(1e300),
    ] {
        assert!(integer.is_valid(&valid), "{valid}");
    }
    for invalid in [json!(1.5), json!(true), json!("1"), json!(null)] {
        assert!(!integer.is_valid(&invalid), "{invalid}");
    }
    let number = validator(json!({"type": "number"}));
    assert!(number.is_valid(&json!(1)) && number.is_valid(&json!(0.5)));
    assert!(!number.is_valid(&json!(false)));
    // `enum`/`const` compare numbers by value and keep booleans apart.
    let one = validator(json!({"enum": [1, [1.0], {"a": 1}]}));
    assert!(one.is_valid(&json!(1.0)) && one.is_valid(&json!([1])));
    assert!(one.is_valid(&json!({"a": 1.0})));
    assert!(!one.is_valid(&json!(true)) && !one.is_valid(&json!([true])));
    let minimum = validator(json!({"minimum": 9007199254740993_u64}));
    assert!(!minimum.is_valid(&json!(9007199254740992.0)));
    assert!(minimum.is_valid(&json!(9007199254740993_u64)));
    assert!(validator(json!({"minimum": 0.5})).is_valid(&json!(1)));
    assert!(!validator(json!({"minimum": 1.5})).is_valid(&json!(1)));
}

#[test]
fn min_length_counts_characters() {
    let two = validator(json!({"minLength": 2}));
    assert!(!two.is_valid(&json!("é")));
    assert!(two.is_valid(&json!("éé")));
    assert!(two.is_valid(&json!(3)), "not a string: not checked");
}

#[test]
fn paths_kinds_refs_and_conditionals() {
    let schema = json!({
        "$defs": {
            "outputs": {"type": "array", "items": {"$ref": "#/$defs/output"}},
            "output": {"type": "object", "required": ["name"], "additionalProperties": false,
                        "properties": {"name": {"type": "string"}}}
        },
        "type": "object",
        "properties": {
            "tasks": {"type": "array", "items": {
                "type": "object",
                "properties": {"outputs": {"$ref": "#/$defs/outputs"}, "a/b~c": {"type": "string"}},
                "if": {"properties": {"kind": {"const": "function"}}},
                "then": {"required": ["inputs"]},
                "else": {"not": {"required": ["inputs"]}}
            }},
        },
        "additionalProperties": {"type": "integer"}
    });
    let validator = validator(schema);
    let errors = validator.iter_errors(&json!({
        "tasks": [
            {"kind": "function", "outputs": [{"name": "x"}, {"type": 1}]},
            {"kind": "artifact", "inputs": [], "a/b~c": 1},
        ],
        "count": "x"
    }));
    let found: Vec<(&str, &ErrorKind)> = errors
        .iter()
        .map(|e| (e.instance_path.as_str(), &e.kind))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/tasks/0/outputs/1",
                &ErrorKind::Required {
                    property: "name".into()
                }
            ),
            (
                "/tasks/0/outputs/1",
                &ErrorKind::AdditionalProperties {
                    unexpected: vec!["type".into()]
                }
            ),
            (
                "/tasks/0",
                &ErrorKind::Required {
                    property: "inputs".into()
                }
            ),
            ("/tasks/1/a~1b~0c", &ErrorKind::Type),
            ("/tasks/1", &ErrorKind::Not),
            ("/count", &ErrorKind::Type),
        ]
    );
}

#[test]
fn additional_properties_keeps_the_instance_order_for_callers() {
    let validator = validator(json!({"properties": {"a": {}}, "additionalProperties": false}));
    let errors = validator.iter_errors(&json!({"z": 1, "a": 1, "b": 2}));
    assert_eq!(
        errors[0].kind,
        ErrorKind::AdditionalProperties {
            unexpected: vec!["z".into(), "b".into()]
        }
    );
    assert_eq!(
        errors[0].message,
        "Additional properties are not allowed ('b', 'z' were unexpected)"
    );
}

#[test]
fn a_recursive_schema_on_a_deep_document_stops_with_one_error() {
    let validator = validator(json!({
        "$defs": {"node": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
        "$ref": "#/$defs/node"
    }));
    let mut deep = json!([]);
    for _ in 0..1000 {
        deep = json!([deep]);
    }
    let errors = validator.iter_errors(&deep);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind, ErrorKind::TooDeep);
    assert!(!validator.is_valid(&deep));
    let mut shallow = json!([]);
    for _ in 0..50 {
        shallow = json!([shallow]);
    }
    assert!(validator.is_valid(&shallow));
    // A `$ref` loop that never descends ends too.
    let looping =
        Validator::new(&json!({"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}))
            .unwrap();
    assert_eq!(looping.iter_errors(&json!(1))[0].kind, ErrorKind::TooDeep);
}

#[test]
fn patterns_match_as_their_regex_does() {
    let texts = [
        "",
        "a",
        "A",
        "_",
        "-",
        "a-b",
        "a_b",
        "a b",
        "é",
        "a\n",
        "0123456789abcdef",
        "::",
        "a::",
        "::b",
        "a::b",
        "a::b-",
        "a::-b",
        "a::b--c",
        "a::b-c",
        "ab::c1-d2-e3",
        "A::b",
        "a::B",
        "a:b",
        "a::b::c",
        "a::b-c\n",
    ];
    let hashes = [
        "0".repeat(64),
        "0".repeat(63),
        "f".repeat(64),
        "F".repeat(64),
        "g".repeat(64),
    ];
    for (source, _) in PATTERNS {
        let regex = regex::Regex::new(source).unwrap();
        let matcher = pattern_matcher(source).unwrap();
        for text in texts
            .iter()
            .copied()
            .chain(hashes.iter().map(String::as_str))
        {
            assert_eq!(
                matcher(text),
                regex.is_match(text),
                "{text:?} against {source}"
            );
        }
    }
}
