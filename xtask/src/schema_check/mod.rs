//! A JSON Schema (draft 2020-12) validator for exactly the keywords the schemas
//! in `schemas/` use, with Python `jsonschema`'s messages (the reference tools,
//! domino-py and Dioptra, validate with it, so users recognise the text).
//!
//! A schema is compiled once into a tree of keywords, in the order the schema
//! writes them (Python's `iter_errors` order). Compiling refuses what it does
//! not implement: an unknown keyword, a `pattern` without a hand-written
//! matcher, a `$ref` that is not `#/$defs/...` (or a document given to
//! [`Validator::with_documents`]). So editing a schema can never silently stop
//! validating something.
//!
//! Supported: `type`, `properties`, `required`, `additionalProperties`, `items`,
//! `enum`, `const`, `pattern`, `minLength`, `minItems`, `minimum`,
//! `propertyNames`, `$ref`, `$defs`, `allOf`, `anyOf`, `oneOf`, `not`,
//! `if`/`then`/`else`; the annotations `title`, `description`, `default`,
//! `$comment`, `$id` and `$schema` are ignored.

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Number, Value};

use crate::pyrepr;

/// The deepest the walk goes (schema steps, `$ref` hops included). Our schemas
/// do not recurse, so real documents stay far below; a recursive schema or a
/// deeper document gets one error instead of exhausting the stack.
pub const MAX_DEPTH: usize = 256;

/// A schema the validator cannot compile (a bug in an embedded schema).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError(pub String);

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CompileError {}

/// What a violation is about, as far as callers place it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Type,
    /// A required property is missing from the object at the error's path.
    Required {
        property: String,
    },
    /// Properties the schema does not allow, in the instance's order.
    AdditionalProperties {
        unexpected: Vec<String>,
    },
    Enum,
    Const,
    Pattern,
    MinLength,
    MinItems,
    Minimum,
    AnyOf,
    /// `oneOf`: no subschema matched, or more than one did.
    OneOf,
    Not,
    /// The walk went deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// One violation: where (a JSON pointer into the instance), what, and Python
/// `jsonschema`'s message for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    pub instance_path: String,
    pub kind: ErrorKind,
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonType {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    Integer,
    String,
}

impl JsonType {
    fn from_name(name: &str) -> Option<JsonType> {
        Some(match name {
            "null" => JsonType::Null,
            "boolean" => JsonType::Boolean,
            "object" => JsonType::Object,
            "array" => JsonType::Array,
            "number" => JsonType::Number,
            "integer" => JsonType::Integer,
            "string" => JsonType::String,
            _ => return None,
        })
    }

    /// JSON Schema's types: a number with a zero fractional part (`1.0`) is an
    /// integer; booleans are not numbers.
    fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (JsonType::Null, Value::Null)
            | (JsonType::Boolean, Value::Bool(_))
            | (JsonType::Object, Value::Object(_))
            | (JsonType::Array, Value::Array(_))
            | (JsonType::Number, Value::Number(_))
            | (JsonType::String, Value::String(_)) => true,
            (JsonType::Integer, Value::Number(n)) => match n.as_f64() {
                Some(f) if n.is_f64() => f.is_finite() && f.fract() == 0.0,
                _ => true,
            },
            _ => false,
        }
    }
}

/// A compiled schema: `true`, `false`, or keywords in schema order.
#[derive(Debug)]
enum Node {
    Bool(bool),
    Keywords(Vec<Keyword>),
}

#[derive(Debug)]
enum Keyword {
    Type {
        types: Vec<JsonType>,
        names: Vec<String>,
    },
    Properties(Vec<(String, Node)>),
    Required(Vec<String>),
    /// `known`: the names of the same schema's `properties`.
    AdditionalProperties {
        known: Vec<String>,
        schema: Node,
    },
    Items(Node),
    Enum(Vec<Value>),
    Const(Value),
    Pattern {
        source: String,
        matches: Matcher,
    },
    MinLength(u64),
    MinItems(u64),
    Minimum(Number),
    PropertyNames(Node),
    /// An index into [`Validator::targets`].
    Ref(usize),
    AllOf(Vec<Node>),
    AnyOf(Vec<Node>),
    /// The subschemas with their text (Python quotes them in a message).
    OneOf(Vec<(Node, Value)>),
    Not(Box<Node>, Value),
    If {
        condition: Box<Node>,
        then: Option<Box<Node>>,
        otherwise: Option<Box<Node>>,
    },
}

/// A compiled schema, ready to validate any number of instances.
#[derive(Debug)]
pub struct Validator {
    root: Node,
    /// The compiled targets of `$ref`s and every `$defs` entry.
    targets: Vec<Node>,
}

/// A hand-written check of one `pattern`.
pub type Matcher = fn(&str) -> bool;

/// The `pattern`s our schemas use, each with a hand-written matcher (ECMA-262
/// semantics, as JSON Schema specifies: `$` is the end of the text).
const PATTERNS: &[(&str, Matcher)] = &[
    ("^[0-9a-f]{64}$", |text| {
        text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }),
    ("^[A-Za-z0-9_-]+$", |text| {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }),
    (
        "^[a-z]+::[a-z0-9]+(-[a-z0-9]+)*$",
        crate::codes::is_well_formed_name,
    ),
];

/// The hand-written matcher of a `pattern` our schemas use.
pub fn pattern_matcher(pattern: &str) -> Option<Matcher> {
    PATTERNS
        .iter()
        .find(|(source, _)| *source == pattern)
        .map(|(_, matches)| *matches)
}

/// Keywords that only annotate.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "$comment",
    "$id",
    "$schema",
];

struct Compiler<'s> {
    /// The root document first, then the documents `$ref` may name.
    documents: Vec<(&'s str, &'s Value)>,
    /// (document, pointer) of each target, by index.
    target_keys: Vec<(usize, String)>,
    targets: Vec<Option<Node>>,
}

impl Validator {
    /// Compiles a schema whose `$ref`s point into its own `$defs`.
    pub fn new(schema: &Value) -> Result<Validator, CompileError> {
        Validator::with_documents(schema, &[])
    }

    /// Compiles a schema whose `$ref`s may also name other documents by their
    /// file name (`"workspace-metadata.schema.json"`, optionally followed by
    /// `#/$defs/...`).
    pub fn with_documents(
        schema: &Value,
        documents: &[(&str, &Value)],
    ) -> Result<Validator, CompileError> {
        let mut all = vec![("", schema)];
        all.extend(documents.iter().copied());
        let mut compiler = Compiler {
            documents: all,
            target_keys: Vec::new(),
            targets: Vec::new(),
        };
        let root = compiler.compile(0, schema, "")?;
        let mut index = 0;
        while index < compiler.target_keys.len() {
            if compiler.targets[index].is_none() {
                let (document, pointer) = compiler.target_keys[index].clone();
                let value = compiler.documents[document].1;
                let target = value.pointer(&pointer).ok_or_else(|| {
                    CompileError(format!("`$ref` target `{pointer}` does not exist"))
                })?;
                let node = compiler.compile(document, target, &pointer)?;
                compiler.targets[index] = Some(node);
            }
            index += 1;
        }
        let targets = compiler
            .targets
            .into_iter()
            .map(|node| node.expect("every target was compiled"))
            .collect();
        Ok(Validator { root, targets })
    }

    /// Every violation, in Python `jsonschema`'s `iter_errors` order.
    pub fn iter_errors(&self, instance: &Value) -> Vec<SchemaError> {
        let mut errors = Vec::new();
        let mut path = Vec::new();
        self.check(&self.root, instance, &mut path, 0, Some(&mut errors));
        errors
    }

    pub fn is_valid(&self, instance: &Value) -> bool {
        self.check(&self.root, instance, &mut Vec::new(), 0, None)
    }
}

/// Compiles a schema embedded in the binary (`include_str!` of `schemas/`); the
/// tests compile every one of them, so this cannot fail on a release.
pub fn embedded(text: &str) -> Validator {
    let schema: Value = serde_json::from_str(text).expect("an embedded schema is JSON");
    Validator::new(&schema).unwrap_or_else(|error| panic!("an embedded schema compiles: {error}"))
}

impl Compiler<'_> {
    fn target(&mut self, document: usize, pointer: String) -> usize {
        let key = (document, pointer);
        if let Some(index) = self.target_keys.iter().position(|k| *k == key) {
            return index;
        }
        self.target_keys.push(key);
        self.targets.push(None);
        self.target_keys.len() - 1
    }

    /// `#/$defs/x`, `other.schema.json`, `other.schema.json#/$defs/x`.
    fn resolve(&mut self, document: usize, reference: &str) -> Result<usize, CompileError> {
        let (name, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let document = if name.is_empty() {
            document
        } else {
            self.documents
                .iter()
                .position(|(known, _)| !known.is_empty() && *known == name)
                .ok_or_else(|| CompileError(format!("`$ref` to an unknown document `{name}`")))?
        };
        if !(fragment.is_empty() || fragment.starts_with("/$defs/")) {
            return Err(CompileError(format!(
                "`$ref` {reference:?}: only `#/$defs/...` references are supported"
            )));
        }
        if fragment.is_empty() && document == 0 && name.is_empty() {
            return Err(CompileError(
                "`$ref` to the root of the schema is not supported".into(),
            ));
        }
        Ok(self.target(document, fragment.to_string()))
    }

    fn compile(
        &mut self,
        document: usize,
        schema: &Value,
        pointer: &str,
    ) -> Result<Node, CompileError> {
        let members = match schema {
            Value::Bool(b) => return Ok(Node::Bool(*b)),
            Value::Object(members) => members,
            _ => {
                return Err(CompileError(format!(
                    "{pointer}: a schema is an object or a boolean"
                )));
            }
        };
        let at = |key: &str| format!("{pointer}/{}", escape(key));
        let mut keywords = Vec::new();
        for (key, value) in members {
            let here = at(key);
            let bad = |what: &str| Err(CompileError(format!("{here}: {what}")));
            let keyword = match key.as_str() {
                k if ANNOTATIONS.contains(&k) => continue,
                "$defs" => {
                    let Value::Object(defs) = value else {
                        return bad("`$defs` is an object");
                    };
                    for name in defs.keys() {
                        // Compiled even when unused, so every keyword is checked.
                        self.target(document, format!("{here}/{}", escape(name)));
                    }
                    continue;
                }
                "then" | "else" => {
                    if !members.contains_key("if") {
                        // Without `if` they do nothing; still, only known keywords.
                        self.compile(document, value, &here)?;
                    }
                    continue;
                }
                "type" => {
                    let names: Vec<String> = match value {
                        Value::String(name) => vec![name.clone()],
                        Value::Array(items) => items
                            .iter()
                            .map(|item| item.as_str().map(str::to_string))
                            .collect::<Option<_>>()
                            .unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    let types: Option<Vec<JsonType>> =
                        names.iter().map(|n| JsonType::from_name(n)).collect();
                    match types {
                        Some(types) if !types.is_empty() => Keyword::Type { types, names },
                        _ => return bad("`type` is a type name or a list of them"),
                    }
                }
                "properties" => {
                    let Value::Object(properties) = value else {
                        return bad("`properties` is an object");
                    };
                    let mut compiled = Vec::new();
                    for (name, subschema) in properties {
                        let node = self.compile(document, subschema, &at_child(&here, name))?;
                        compiled.push((name.clone(), node));
                    }
                    Keyword::Properties(compiled)
                }
                "required" => match strings(value) {
                    Some(names) => Keyword::Required(names),
                    None => return bad("`required` is a list of names"),
                },
                "additionalProperties" => {
                    let known = match members.get("properties") {
                        Some(Value::Object(properties)) => properties.keys().cloned().collect(),
                        _ => Vec::new(),
                    };
                    let schema = self.compile(document, value, &here)?;
                    Keyword::AdditionalProperties { known, schema }
                }
                "items" => Keyword::Items(self.compile(document, value, &here)?),
                "propertyNames" => Keyword::PropertyNames(self.compile(document, value, &here)?),
                "not" => Keyword::Not(
                    Box::new(self.compile(document, value, &here)?),
                    value.clone(),
                ),
                "enum" => match value {
                    Value::Array(items) => Keyword::Enum(items.clone()),
                    _ => return bad("`enum` is a list"),
                },
                "const" => Keyword::Const(value.clone()),
                "pattern" => {
                    let Some(source) = value.as_str() else {
                        return bad("`pattern` is a string");
                    };
                    let Some(matches) = pattern_matcher(source) else {
                        return bad(&format!(
                            "no matcher for the pattern {source:?} (add one to `PATTERNS`)"
                        ));
                    };
                    Keyword::Pattern {
                        source: source.to_string(),
                        matches,
                    }
                }
                "minLength" | "minItems" => {
                    let Some(limit) = value.as_u64() else {
                        return bad("a non-negative integer");
                    };
                    if key == "minLength" {
                        Keyword::MinLength(limit)
                    } else {
                        Keyword::MinItems(limit)
                    }
                }
                "minimum" => match value {
                    Value::Number(number) => Keyword::Minimum(number.clone()),
                    _ => return bad("`minimum` is a number"),
                },
                "$ref" => {
                    let Some(reference) = value.as_str() else {
                        return bad("`$ref` is a string");
                    };
                    Keyword::Ref(self.resolve(document, reference)?)
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let items = match value {
                        Value::Array(items) if !items.is_empty() => items,
                        _ => return bad("a non-empty list of schemas"),
                    };
                    let mut nodes = Vec::new();
                    for (index, item) in items.iter().enumerate() {
                        let node = self.compile(document, item, &format!("{here}/{index}"))?;
                        nodes.push((node, item.clone()));
                    }
                    match key.as_str() {
                        "allOf" => Keyword::AllOf(nodes.into_iter().map(|(n, _)| n).collect()),
                        "anyOf" => Keyword::AnyOf(nodes.into_iter().map(|(n, _)| n).collect()),
                        _ => Keyword::OneOf(nodes),
                    }
                }
                "if" => {
                    let condition = Box::new(self.compile(document, value, &here)?);
                    let mut branch = |name: &str| -> Result<Option<Box<Node>>, CompileError> {
                        members
                            .get(name)
                            .map(|s| self.compile(document, s, &at(name)).map(Box::new))
                            .transpose()
                    };
                    let then = branch("then")?;
                    let otherwise = branch("else")?;
                    Keyword::If {
                        condition,
                        then,
                        otherwise,
                    }
                }
                other => {
                    return Err(CompileError(format!(
                        "{pointer}: the keyword `{other}` is not supported"
                    )));
                }
            };
            keywords.push(keyword);
        }
        Ok(Node::Keywords(keywords))
    }
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|item| item.as_str().map(str::to_string))
        .collect()
}

/// A JSON pointer segment (`~` -> `~0`, `/` -> `~1`).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn at_child(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// One step of the path from the instance's root.
#[derive(Clone, Copy)]
enum Step<'i> {
    Key(&'i str),
    Index(usize),
}

fn pointer(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&escape(key)),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// Python `jsonschema`'s `_utils.equal`: numbers by value (`1 == 1.0`),
/// booleans apart from numbers, containers member by member.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Ordering::Equal,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn integer(number: &Number) -> Option<i128> {
    number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
}

/// Numbers compared exactly, as Python compares `int` and `float`.
fn compare(a: &Number, b: &Number) -> Ordering {
    match (integer(a), integer(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(x), None) => compare_int_float(x, b.as_f64().unwrap_or(0.0)),
        (None, Some(y)) => compare_int_float(y, a.as_f64().unwrap_or(0.0)).reverse(),
        (None, None) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

fn compare_int_float(int: i128, float: f64) -> Ordering {
    // Every i64/u64 lies well inside ±1e30; beyond that the float decides.
    if float > 1e30 {
        return Ordering::Less;
    }
    if float < -1e30 {
        return Ordering::Greater;
    }
    let floor = float.floor();
    match int.cmp(&(floor as i128)) {
        Ordering::Equal if float > floor => Ordering::Less,
        other => other,
    }
}

fn repr_list(items: &[Value]) -> String {
    items
        .iter()
        .map(pyrepr::repr)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Validator {
    /// Validates `instance` against `node`; with `out`, records every error (and
    /// returns whether there was none), without, stops at the first.
    fn check<'i>(
        &self,
        node: &Node,
        instance: &'i Value,
        path: &mut Vec<Step<'i>>,
        depth: usize,
        mut out: Option<&mut Vec<SchemaError>>,
    ) -> bool {
        let keywords = match node {
            Node::Bool(valid) => {
                if !valid && let Some(out) = out {
                    out.push(SchemaError {
                        instance_path: pointer(path),
                        kind: ErrorKind::Not,
                        message: format!("False schema does not allow {}", pyrepr::repr(instance)),
                    });
                }
                return *valid;
            }
            Node::Keywords(keywords) => keywords,
        };
        if depth > MAX_DEPTH {
            if let Some(out) = out {
                out.push(SchemaError {
                    instance_path: pointer(path),
                    kind: ErrorKind::TooDeep,
                    message: format!(
                        "the document is nested too deeply to validate (more than {MAX_DEPTH} levels)"
                    ),
                });
            }
            return false;
        }
        let mut valid = true;
        // Records one error at the current path (the message is built only when
        // errors are collected); stops the walk when they are not.
        macro_rules! fail {
            ($kind:expr, $message:expr) => {{
                valid = false;
                match out.as_deref_mut() {
                    Some(out) => out.push(SchemaError {
                        instance_path: pointer(path),
                        kind: $kind,
                        message: $message,
                    }),
                    None => return false,
                }
            }};
        }
        macro_rules! descend {
            ($node:expr, $value:expr, $step:expr) => {{
                let step: Option<Step<'i>> = $step;
                if let Some(step) = step {
                    path.push(step);
                }
                let ok = self.check($node, $value, path, depth + 1, out.as_deref_mut());
                if step.is_some() {
                    path.pop();
                }
                if !ok {
                    valid = false;
                    if out.is_none() {
                        return false;
                    }
                }
            }};
        }
        for keyword in keywords {
            match keyword {
                Keyword::Type { types, names } => {
                    if !types.iter().any(|t| t.admits(instance)) {
                        fail!(
                            ErrorKind::Type,
                            format!(
                                "{} is not of type {}",
                                pyrepr::repr(instance),
                                names
                                    .iter()
                                    .map(|n| pyrepr::str_repr(n))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        );
                    }
                }
                Keyword::Properties(properties) => {
                    if let Value::Object(members) = instance {
                        for (name, subschema) in properties {
                            if let Some((key, value)) = members.get_key_value(name) {
                                descend!(subschema, value, Some(Step::Key(key.as_str())));
                            }
                        }
                    }
                }
                Keyword::Required(names) => {
                    if let Value::Object(members) = instance {
                        for name in names {
                            if !members.contains_key(name) {
                                fail!(
                                    ErrorKind::Required {
                                        property: name.clone()
                                    },
                                    format!("{} is a required property", pyrepr::str_repr(name))
                                );
                            }
                        }
                    }
                }
                Keyword::AdditionalProperties { known, schema } => {
                    if let Value::Object(members) = instance {
                        let extras = members.iter().filter(|(k, _)| !known.contains(k));
                        match schema {
                            Node::Bool(true) => {}
                            Node::Bool(false) => {
                                let unexpected: Vec<String> =
                                    extras.map(|(k, _)| k.clone()).collect();
                                if !unexpected.is_empty() {
                                    fail!(
                                        ErrorKind::AdditionalProperties {
                                            unexpected: unexpected.clone()
                                        },
                                        additional_message(&unexpected)
                                    );
                                }
                            }
                            Node::Keywords(_) => {
                                for (key, value) in extras {
                                    descend!(schema, value, Some(Step::Key(key.as_str())));
                                }
                            }
                        }
                    }
                }
                Keyword::Items(schema) => {
                    if let Value::Array(items) = instance {
                        for (index, item) in items.iter().enumerate() {
                            descend!(schema, item, Some(Step::Index(index)));
                        }
                    }
                }
                Keyword::Enum(options) => {
                    if !options.iter().any(|option| equal(option, instance)) {
                        fail!(
                            ErrorKind::Enum,
                            format!(
                                "{} is not one of [{}]",
                                pyrepr::repr(instance),
                                repr_list(options)
                            )
                        );
                    }
                }
                Keyword::Const(expected) => {
                    if !equal(expected, instance) {
                        fail!(
                            ErrorKind::Const,
                            format!("{} was expected", pyrepr::repr(expected))
                        );
                    }
                }
                Keyword::Pattern { source, matches } => {
                    if let Value::String(text) = instance
                        && !matches(text)
                    {
                        fail!(
                            ErrorKind::Pattern,
                            format!(
                                "{} does not match {}",
                                pyrepr::str_repr(text),
                                pyrepr::str_repr(source)
                            )
                        );
                    }
                }
                Keyword::MinLength(limit) => {
                    if let Value::String(text) = instance
                        && (text.chars().count() as u64) < *limit
                    {
                        fail!(ErrorKind::MinLength, too_short(instance));
                    }
                }
                Keyword::MinItems(limit) => {
                    if let Value::Array(items) = instance
                        && (items.len() as u64) < *limit
                    {
                        fail!(ErrorKind::MinItems, too_short(instance));
                    }
                }
                Keyword::Minimum(minimum) => {
                    if let Value::Number(number) = instance
                        && compare(number, minimum) == Ordering::Less
                    {
                        fail!(
                            ErrorKind::Minimum,
                            format!(
                                "{} is less than the minimum of {}",
                                pyrepr::number_repr(number),
                                pyrepr::number_repr(minimum)
                            )
                        );
                    }
                }
                Keyword::PropertyNames(schema) => {
                    if let Value::Object(members) = instance {
                        for key in members.keys() {
                            // Python descends without a path step: errors are
                            // about the object, quoting the name.
                            let name = Value::String(key.clone());
                            let ok = self.check(
                                schema,
                                &name,
                                &mut path.clone(),
                                depth + 1,
                                out.as_deref_mut(),
                            );
                            if !ok {
                                valid = false;
                                if out.is_none() {
                                    return false;
                                }
                            }
                        }
                    }
                }
                Keyword::Ref(target) => {
                    descend!(&self.targets[*target], instance, None);
                }
                Keyword::AllOf(schemas) => {
                    for schema in schemas {
                        descend!(schema, instance, None);
                    }
                }
                Keyword::AnyOf(schemas) => {
                    let any = schemas
                        .iter()
                        .any(|schema| self.check(schema, instance, path, depth + 1, None));
                    if !any {
                        fail!(
                            ErrorKind::AnyOf,
                            format!(
                                "{} is not valid under any of the given schemas",
                                pyrepr::repr(instance)
                            )
                        );
                    }
                }
                Keyword::OneOf(schemas) => {
                    let mut matching = schemas
                        .iter()
                        .filter(|(schema, _)| self.check(schema, instance, path, depth + 1, None))
                        .map(|(_, text)| text);
                    match (matching.next(), matching.next()) {
                        (None, _) => fail!(
                            ErrorKind::OneOf,
                            format!(
                                "{} is not valid under any of the given schemas",
                                pyrepr::repr(instance)
                            )
                        ),
                        (Some(_), None) => {}
                        (Some(first), Some(second)) => {
                            // Python lists the other valid ones, then the first.
                            let mut more = vec![second.clone()];
                            more.extend(matching.cloned());
                            more.push(first.clone());
                            fail!(
                                ErrorKind::OneOf,
                                format!(
                                    "{} is valid under each of {}",
                                    pyrepr::repr(instance),
                                    repr_list(&more)
                                )
                            );
                        }
                    }
                }
                Keyword::Not(schema, text) => {
                    if self.check(schema, instance, path, depth + 1, None) {
                        fail!(
                            ErrorKind::Not,
                            format!(
                                "{} should not be valid under {}",
                                pyrepr::repr(instance),
                                pyrepr::repr(text)
                            )
                        );
                    }
                }
                Keyword::If {
                    condition,
                    then,
                    otherwise,
                } => {
                    let branch = if self.check(condition, instance, path, depth + 1, None) {
                        then
                    } else {
                        otherwise
                    };
                    if let Some(branch) = branch {
                        descend!(branch, instance, None);
                    }
                }
            }
        }
        valid
    }
}

/// `minLength`/`minItems` as Python `jsonschema` 4.18 (domino-py 0.9.4's pin)
/// words them; 4.21 and later say "should be non-empty" for a limit of 1.
fn too_short(instance: &Value) -> String {
    format!("{} is too short", pyrepr::repr(instance))
}

/// `Additional properties are not allowed ('a', 'b' were unexpected)`, the
/// names sorted (newer Python `jsonschema` sorts them; older ones printed a
/// set's arbitrary order).
fn additional_message(unexpected: &[String]) -> String {
    let mut sorted: Vec<&String> = unexpected.iter().collect();
    sorted.sort();
    let joined = sorted
        .iter()
        .map(|name| pyrepr::str_repr(name))
        .collect::<Vec<_>>()
        .join(", ");
    let verb = if sorted.len() == 1 { "was" } else { "were" };
    format!("Additional properties are not allowed ({joined} {verb} unexpected)")
}

/// Texts for differential tests of hand-written matchers: the seeds, each
/// mutated (a byte of `alphabet` replaced, inserted or removed), and `random`
/// strings over `alphabet` of up to 12 bytes. Deterministic.
#[cfg(test)]
pub(crate) fn sample_texts(alphabet: &[u8], seeds: &[&str], random: usize) -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    let mut texts: Vec<String> = seeds.iter().map(|s| s.to_string()).collect();
    for seed in seeds {
        for _ in 0..40 {
            let mut bytes = seed.as_bytes().to_vec();
            let r = next();
            let at = (r >> 8) % (bytes.len() + 1);
            let byte = alphabet[(r >> 24) % alphabet.len()];
            match r % 3 {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.push(byte),
            }
            if let Ok(text) = String::from_utf8(bytes) {
                texts.push(text);
            }
        }
    }
    for _ in 0..random {
        let len = next() % 13;
        let text: String = (0..len)
            .map(|_| alphabet[(next() >> 16) % alphabet.len()] as char)
            .collect();
        texts.push(text);
    }
    texts
}

#[cfg(test)]
mod tests;
