//! Entrypoint task graphs: the YAML file of an entrypoint, read with line:col
//! positions, and every check of Dioptra's task-engine validator
//! (`task_engine/validation.py`, `type_validation.py`), run together so one
//! error does not hide the others, plus the checks Dioptra misses.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde_json::{Map, Value, json};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

use super::types::{self, SemType, Structure, TypeRegistry, compatible, find_cycles};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{Document, NodeSpan, SyntaxError, pointer_child};
use crate::source::{SourceFile, Span};

/// A task parameter as declared in the resource TOML.
pub struct TaskParameter {
    pub name: String,
    pub type_name: String,
    pub required: bool,
}

/// A function or artifact task of a plugin.
pub struct TaskSignature {
    pub plugin: String,
    pub name: String,
    pub inputs: Vec<TaskParameter>,
    /// (name, type)
    pub outputs: Vec<(String, String)>,
}

/// An entrypoint parameter (`params`).
pub struct EntrypointParameter {
    pub name: String,
    /// string|float|integer|boolean|list|mapping as written
    pub kind: String,
    /// Only string defaults; non-string defaults are reported elsewhere and passed as `None`.
    pub default_value: Option<String>,
}

/// An entrypoint artifact parameter (`artifact_params`).
pub struct ArtifactParameter {
    pub name: String,
    pub outputs: Vec<(String, String)>,
}

/// Everything needed to check one entrypoint's task graph.
pub struct EntrypointInput<'a> {
    /// The resource TOML (for pointing at params).
    pub toml: &'a Document,
    /// e.g. `/entrypoints/1`
    pub entrypoint_pointer: String,
    pub yaml: &'a Arc<SourceFile>,
    pub params: Vec<EntrypointParameter>,
    pub artifact_params: Vec<ArtifactParameter>,
    /// Of the entrypoint's `plugins`, plugin order then task order.
    pub function_tasks: Vec<TaskSignature>,
    /// Of its `artifact_plugins`.
    pub artifact_tasks: Vec<TaskSignature>,
    pub types: &'a TypeRegistry,
}

#[derive(Default)]
pub struct GraphOutcome {
    pub diagnostics: Vec<Diagnostic>,
    /// The task-engine document Dioptra would build; `None` when the YAML could not be read.
    pub task_engine: Option<Value>,
    /// (plugin, task)
    pub used_tasks: BTreeSet<(String, String)>,
    pub used_types: BTreeSet<String>,
}

// ---------------------------------------------------------------------------
// YAML with positions
// ---------------------------------------------------------------------------

/// A YAML value as PyYAML's `safe_load` would build it.
#[derive(Clone, Debug, PartialEq)]
pub enum YValue {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    /// A plain scalar PyYAML reads as a date or datetime (its text).
    Timestamp(String),
    Seq(Vec<YNode>),
    /// Keys in first-occurrence order; a repeated key replaces the value in place.
    Map(Vec<(YNode, YNode)>),
}

/// A YAML node and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct YNode {
    pub value: YValue,
    pub span: Span,
}

impl YNode {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(YNode, YNode)]> {
        match &self.value {
            YValue::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&YNode> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The entry (key and value) named `key`.
    pub fn entry(&self, key: &str) -> Option<(&YNode, &YNode)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// Python's `repr` of the value.
    pub fn repr(&self) -> String {
        match &self.value {
            YValue::Null => "None".into(),
            YValue::Bool(true) => "True".into(),
            YValue::Bool(false) => "False".into(),
            YValue::Int(i) => i.to_string(),
            YValue::Float(f) => py_float(*f),
            YValue::Str(s) => py_repr_str(s),
            YValue::Timestamp(s) => format!("datetime({s})"),
            YValue::Seq(items) => format!(
                "[{}]",
                items.iter().map(YNode::repr).collect::<Vec<_>>().join(", ")
            ),
            YValue::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.repr(), v.repr()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The value as JSON (keys become strings, as `json.dumps` does).
    pub fn to_json(&self) -> Value {
        match &self.value {
            YValue::Null => Value::Null,
            YValue::Bool(b) => Value::Bool(*b),
            YValue::Int(i) => i64::try_from(*i)
                .map(Value::from)
                .or_else(|_| u64::try_from(*i).map(Value::from))
                .unwrap_or_else(|_| Value::String(i.to_string())),
            YValue::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Value::String(py_float(*f)), Value::Number),
            YValue::Str(s) | YValue::Timestamp(s) => Value::String(s.clone()),
            YValue::Seq(items) => Value::Array(items.iter().map(YNode::to_json).collect()),
            YValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.key_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The key as `json.dumps` writes it.
    fn key_string(&self) -> String {
        match &self.value {
            YValue::Str(s) => s.clone(),
            YValue::Null => "null".into(),
            YValue::Bool(b) => b.to_string(),
            YValue::Int(i) => i.to_string(),
            YValue::Float(f) => py_float(*f),
            _ => self.repr(),
        }
    }
}

fn py_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// Python's `repr` of a string.
fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

static YAML_BOOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
        .expect("valid regex")
});
static YAML_INT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")
        .expect("valid regex")
});
static YAML_TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$")
        .expect("valid regex")
});
static YAML_FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
        .expect("valid regex")
});

/// Resolves a plain scalar the way PyYAML's `SafeLoader` does (YAML 1.1 rules:
/// `yes`/`on` are booleans, `1e3` is a string, `0o17`... is a string, `017` is octal).
pub fn resolve_plain(text: &str) -> YValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return YValue::Null,
        _ => {}
    }
    if YAML_BOOL.is_match(text) {
        return YValue::Bool(matches!(
            text.to_ascii_lowercase().as_str(),
            "yes" | "true" | "on"
        ));
    }
    if YAML_INT.is_match(text)
        && let Some(value) = parse_yaml11_int(text)
    {
        return YValue::Int(value);
    }
    if YAML_FLOAT.is_match(text)
        && let Some(value) = parse_yaml11_float(text)
    {
        return YValue::Float(value);
    }
    if YAML_TIMESTAMP.is_match(text) {
        return YValue::Timestamp(text.to_string());
    }
    YValue::Str(text.to_string())
}

fn parse_yaml11_int(text: &str) -> Option<i128> {
    let cleaned = text.replace('_', "");
    let (negative, digits) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let magnitude = if digits == "0" {
        0
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()?
    } else if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix('0') {
        i128::from_str_radix(oct, 8).ok()?
    } else if digits.contains(':') {
        let mut value: i128 = 0;
        for part in digits.split(':') {
            value = value
                .checked_mul(60)?
                .checked_add(part.parse::<i128>().ok()?)?;
        }
        value
    } else {
        digits.parse::<i128>().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn parse_yaml11_float(text: &str) -> Option<f64> {
    let cleaned = text.replace('_', "").to_ascii_lowercase();
    let (sign, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        _ => (1.0, cleaned.as_str()),
    };
    let value = match body {
        ".inf" => f64::INFINITY,
        ".nan" => f64::NAN,
        b if b.contains(':') => {
            let mut value = 0.0;
            for part in b.split(':') {
                value = value * 60.0 + part.parse::<f64>().ok()?;
            }
            value
        }
        b => b.parse::<f64>().ok()?,
    };
    Some(sign * value)
}

/// Parses a YAML file into a node tree. `Ok(None)` for an empty document.
pub fn parse_yaml(file: &Arc<SourceFile>) -> Result<Option<YNode>, SyntaxError> {
    enum Frame {
        Seq(Vec<YNode>, usize, usize),
        Map(Vec<(YNode, YNode)>, Option<YNode>, usize, usize),
    }
    let text = file.text.as_str();
    let span_of = |span: &serde_saphyr::granit_parser::Span| -> Span {
        match span.byte_range() {
            Some(range) => Span::new(range.start, range.end),
            None => {
                let start = file.offset_of(span.start.line(), span.start.col() + 1);
                let end = file.offset_of(span.end.line(), span.end.col() + 1);
                Span::new(start, end.max(start))
            }
        }
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, YNode> = HashMap::new();
    let mut root: Option<YNode> = None;
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    // Completes a node: stores anchors and attaches it to its parent.
    fn attach(
        node: YNode,
        anchor: usize,
        stack: &mut [Frame],
        anchors: &mut HashMap<usize, YNode>,
        root: &mut Option<YNode>,
    ) {
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => *root = Some(node),
            Some(Frame::Seq(items, _, _)) => items.push(node),
            Some(Frame::Map(entries, pending, _, _)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Some(existing) = entries.iter_mut().find(|(k, _)| k.value == key.value) {
                        existing.1 = node;
                    } else {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(error) => {
                let marker = error.marker();
                let offset = marker
                    .byte_offset()
                    .unwrap_or_else(|| file.offset_of(marker.line(), marker.col() + 1));
                return Err(SyntaxError {
                    message: error.info().to_string(),
                    span: Span::new(offset, offset),
                });
            }
        };
        let here = span_of(&span);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        message:
                            "expected a single document in the stream, but found another document"
                                .into(),
                        span: here,
                    });
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let value = match (&tag, style) {
                    (Some(tag), _) => match tag.suffix() {
                        "null" => YValue::Null,
                        "bool" | "int" | "float" => match resolve_plain(&value) {
                            YValue::Str(s) => YValue::Str(s),
                            other => other,
                        },
                        _ => YValue::Str(value.to_string()),
                    },
                    (None, ScalarStyle::Plain) => resolve_plain(&value),
                    (None, _) => YValue::Str(value.to_string()),
                };
                attach(
                    YNode { value, span: here },
                    anchor,
                    &mut stack,
                    &mut anchors,
                    &mut root,
                );
            }
            Event::SequenceStart(_, anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), here.start, anchor))
            }
            Event::MappingStart(_, anchor, _) => {
                stack.push(Frame::Map(Vec::new(), None, here.start, anchor));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, start, anchor) = match stack.pop() {
                    Some(Frame::Seq(items, start, anchor)) => (YValue::Seq(items), start, anchor),
                    Some(Frame::Map(entries, _, start, anchor)) => {
                        (YValue::Map(apply_merge_keys(entries)), start, anchor)
                    }
                    None => continue,
                };
                let end = here.end.max(start);
                attach(
                    YNode {
                        value,
                        span: Span::new(start, end),
                    },
                    anchor,
                    &mut stack,
                    &mut anchors,
                    &mut root,
                );
            }
            Event::Alias(id) => {
                let Some(mut node) = anchors.get(&id).cloned() else {
                    return Err(SyntaxError {
                        message: "found undefined alias".into(),
                        span: here,
                    });
                };
                node.span = here;
                attach(node, 0, &mut stack, &mut anchors, &mut root);
            }
            _ => {}
        }
    }
    Ok(root)
}

/// Applies YAML 1.1 merge keys (`<<: *base` or `<<: [*a, *b]`) as PyYAML's
/// `SafeLoader` does: merged entries first (earlier sources win), then the
/// mapping's own entries override them.
fn apply_merge_keys(entries: Vec<(YNode, YNode)>) -> Vec<(YNode, YNode)> {
    if !entries.iter().any(|(k, _)| k.as_str() == Some("<<")) {
        return entries;
    }
    let mut sources: Vec<(YNode, YNode)> = Vec::new();
    let mut own: Vec<(YNode, YNode)> = Vec::new();
    for (key, value) in entries {
        if key.as_str() != Some("<<") {
            own.push((key, value));
            continue;
        }
        match &value.value {
            YValue::Map(merged) => sources.extend(merged.iter().cloned()),
            YValue::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => {
                for item in items.iter().rev() {
                    sources.extend(item.as_map().unwrap_or_default().iter().cloned());
                }
            }
            _ => own.push((key, value)),
        }
    }
    let mut out: Vec<(YNode, YNode)> = Vec::new();
    for (key, value) in sources.into_iter().chain(own) {
        match out.iter_mut().find(|(k, _)| k.value == key.value) {
            Some(existing) => existing.1 = value,
            None => out.push((key, value)),
        }
    }
    out
}

/// Parses a YAML file into a [`Document`] (keys as strings, spans by JSON pointer).
pub fn parse_yaml_document(file: &Arc<SourceFile>) -> Result<Document, SyntaxError> {
    let root = parse_yaml(file)?;
    let mut spans = HashMap::new();
    let value = match &root {
        Some(node) => {
            fill_spans(node, String::new(), None, &mut spans);
            node.to_json()
        }
        None => Value::Null,
    };
    Ok(Document::new(Arc::clone(file), value, spans))
}

fn fill_spans(
    node: &YNode,
    pointer: String,
    key: Option<Span>,
    spans: &mut HashMap<String, NodeSpan>,
) {
    match &node.value {
        YValue::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                fill_spans(item, format!("{pointer}/{i}"), None, spans);
            }
        }
        YValue::Map(entries) => {
            for (k, v) in entries {
                fill_spans(
                    v,
                    pointer_child(&pointer, &k.key_string()),
                    Some(k.span),
                    spans,
                );
            }
        }
        _ => {}
    }
    spans.insert(
        pointer,
        NodeSpan {
            key,
            value: node.span,
        },
    );
}

// ---------------------------------------------------------------------------
// The graph model
// ---------------------------------------------------------------------------

/// One step (or one choice of a swap step), normalized.
struct Step<'a> {
    name: String,
    key_span: Span,
    task: String,
    task_span: Span,
    positional: Vec<&'a YNode>,
    /// (name, key span, value)
    keywords: Vec<(String, Span, &'a YNode)>,
    dependencies: Vec<(String, Span)>,
    /// From a swap choice (its task was already checked by the swap checks).
    from_swap: bool,
}

impl Step<'_> {
    fn arguments(&self) -> impl Iterator<Item = &YNode> {
        self.positional
            .iter()
            .copied()
            .chain(self.keywords.iter().map(|(_, _, v)| *v))
    }
}

/// A reference found in an argument: the text without `$`, and where it is.
struct Reference {
    text: String,
    span: Span,
}

fn is_reference(s: &str) -> bool {
    s.starts_with('$') && !s.starts_with("$$")
}

fn collect_references(node: &YNode, out: &mut Vec<Reference>) {
    match &node.value {
        YValue::Str(s) if is_reference(s) => out.push(Reference {
            text: s[1..].to_string(),
            span: node.span,
        }),
        YValue::Seq(items) => items.iter().for_each(|i| collect_references(i, out)),
        YValue::Map(entries) => entries.iter().for_each(|(_, v)| collect_references(v, out)),
        _ => {}
    }
}

/// `name.output` split at the first dot.
fn reference_coords(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('.') {
        Some((name, output)) => (name, Some(output)),
        None => (reference, None),
    }
}

/// What a reference resolved to: the name of its type, when known.
enum Resolved {
    /// A step output (type name).
    Output(String),
    /// A global parameter.
    Parameter(String),
    /// An artifact input (type name).
    Artifact(String),
}

struct Checker<'a, 'i> {
    input: &'a EntrypointInput<'i>,
    file: &'a Arc<SourceFile>,
    /// Function tasks by name; the last attached plugin wins (Dioptra overwrites).
    tasks: HashMap<&'a str, &'a TaskSignature>,
    params: HashMap<&'a str, &'a EntrypointParameter>,
    param_types: HashMap<String, Option<SemType>>,
    artifacts: HashMap<&'a str, &'a ArtifactParameter>,
    diagnostics: Vec<Diagnostic>,
    seen: HashMap<(Code, usize, usize, String), usize>,
    /// Diagnostic index -> the swap combinations it occurred in.
    combination_hits: HashMap<usize, Vec<String>>,
    /// Reference roots that are not steps (params, artifact params, or missing).
    used_globals: BTreeSet<String>,
    missing_globals: BTreeSet<String>,
    used_tasks: BTreeSet<(String, String)>,
    /// Note added to diagnostics of the current swap combination.
    combination: Option<String>,
}

impl<'a, 'i> Checker<'a, 'i> {
    fn push(&mut self, diagnostic: Diagnostic) {
        let (start, end) = match &diagnostic.location {
            Some(crate::diagnostics::Location::Span { span, .. }) => (span.start, span.end),
            _ => (0, 0),
        };
        let key = (diagnostic.code, start, end, diagnostic.message.clone());
        match self.seen.get(&key) {
            Some(&index) => {
                if let Some(combination) = &self.combination
                    && let Some(hits) = self.combination_hits.get_mut(&index)
                    && !hits.contains(combination)
                {
                    hits.push(combination.clone());
                }
            }
            None => {
                let index = self.diagnostics.len();
                self.seen.insert(key, index);
                if let Some(combination) = &self.combination {
                    self.combination_hits
                        .insert(index, vec![combination.clone()]);
                }
                self.diagnostics.push(diagnostic);
            }
        }
    }

    /// Notes which swap combinations a diagnostic occurs in, unless it occurs in all.
    fn note_combinations(&mut self, total: usize) {
        for (index, hits) in std::mem::take(&mut self.combination_hits) {
            if hits.len() < total
                && let Some(diagnostic) = self.diagnostics.get_mut(index)
            {
                let shown: Vec<&str> = hits.iter().take(4).map(String::as_str).collect();
                let more = if hits.len() > 4 {
                    format!(" and {} more", hits.len() - 4)
                } else {
                    String::new()
                };
                diagnostic.notes.push(format!(
                    "in swap combination{} {}{more} (of {total} combinations)",
                    if hits.len() > 1 { "s" } else { "" },
                    shown.join(", ")
                ));
            }
        }
    }

    fn warning(&mut self, code: Code, message: String, span: Span) {
        let diagnostic = Diagnostic::warning(code, message).at(self.file, span);
        self.push(diagnostic);
    }

    /// An error, with an optional help, deduplicated.
    fn report(&mut self, code: Code, message: String, span: Span, help: Option<String>) {
        let mut diagnostic = Diagnostic::error(code, message).at(self.file, span);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.push(diagnostic);
    }

    /// The span of an entrypoint parameter's name in the TOML.
    fn toml_param(&self, list: &str, name: &str) -> (Arc<SourceFile>, Span) {
        let base = format!("{}/{list}", self.input.entrypoint_pointer);
        let toml = self.input.toml;
        if let Some(Value::Array(items)) = toml.get(&base) {
            for (i, item) in items.iter().enumerate() {
                if item.get("name").and_then(Value::as_str) == Some(name) {
                    return (
                        Arc::clone(&toml.file),
                        toml.span(&format!("{base}/{i}/name")),
                    );
                }
            }
        }
        (
            Arc::clone(&toml.file),
            toml.key_span(&self.input.entrypoint_pointer),
        )
    }

    // -- steps ---------------------------------------------------------------

    /// Reads one step definition (long, short or mixed form). `extra` are the
    /// step's keys besides a swap, merged into each choice.
    fn parse_step(
        &mut self,
        name: &str,
        key_span: Span,
        def: &'a YNode,
        extra: &[&'a (YNode, YNode)],
        from_swap: bool,
    ) -> Option<Step<'a>> {
        let Some(entries) = def.as_map() else {
            self.report(
Code::DioptraInvalidTaskGraph,
                format!(
                    "In step \"{name}\": a step definition must be a mapping naming a task, not {}",
                    yaml_kind(def)
                ),
                def.span,
                Some("write `step: {task_name: {param: value}}`, `step: {task_name: [a, b]}` or `step: {task: task_name, args: [...], kwargs: {...}}`".into()),
            );
            return None;
        };
        let entries: Vec<&'a (YNode, YNode)> =
            entries.iter().chain(extra.iter().copied()).collect();
        let mut step = Step {
            name: name.to_string(),
            key_span,
            task: String::new(),
            task_span: def.span,
            positional: Vec::new(),
            keywords: Vec::new(),
            dependencies: Vec::new(),
            from_swap,
        };
        let mut ok = true;
        if let Some((_, deps)) = entries
            .iter()
            .find(|(k, _)| k.as_str() == Some("dependencies"))
        {
            match &deps.value {
                YValue::Str(s) => step.dependencies.push((s.clone(), deps.span)),
                YValue::Seq(items) => {
                    for item in items {
                        match item.as_str() {
                            Some(s) => step.dependencies.push((s.to_string(), item.span)),
                            None => {
                                ok = false;
                                self.report(
Code::DioptraInvalidTaskGraph,
                                    format!("In step \"{name}\": dependencies must be step names (strings), not {}", yaml_kind(item)),
                                    item.span,
                                    None,
                                );
                            }
                        }
                    }
                }
                _ => {
                    ok = false;
                    self.report(
Code::DioptraInvalidTaskGraph,
                        format!("In step \"{name}\": dependencies must be a step name or a list of step names"),
                        deps.span,
                        None,
                    );
                }
            }
        }
        let long_form = entries.iter().any(|(k, _)| k.as_str() == Some("task"));
        if long_form {
            for (key, value) in &entries {
                match key.as_str() {
                    Some("task") => match value.as_str() {
                        Some(task) => {
                            step.task = task.to_string();
                            step.task_span = value.span;
                        }
                        None => {
                            ok = false;
                            self.report(
                                Code::DioptraInvalidTaskGraph,
                                format!(
                                    "In step \"{name}\": `task` must be a task name, not {}",
                                    yaml_kind(value)
                                ),
                                value.span,
                                None,
                            );
                        }
                    },
                    Some("args") => match &value.value {
                        YValue::Seq(items) => step.positional.extend(items.iter()),
                        _ => {
                            ok = false;
                            self.report(
Code::DioptraInvalidTaskGraph,
                                format!("In step \"{name}\": `args` must be a list of positional arguments, not {}", yaml_kind(value)),
                                value.span,
                                None,
                            );
                        }
                    },
                    Some("kwargs") => match &value.value {
                        YValue::Map(kwargs) => {
                            for (k, v) in kwargs {
                                match k.as_str() {
                                    Some(kw) => step.keywords.push((kw.to_string(), k.span, v)),
                                    None => {
                                        ok = false;
                                        self.report(
Code::DioptraInvalidTaskGraph,
                                            format!("In step \"{name}\": keyword argument names must be strings: {}", k.repr()),
                                            k.span,
                                            None,
                                        );
                                    }
                                }
                            }
                        }
                        _ => {
                            ok = false;
                            self.report(
Code::DioptraInvalidTaskGraph,
                                format!("In step \"{name}\": `kwargs` must be a mapping of keyword arguments, not {}", yaml_kind(value)),
                                value.span,
                                None,
                            );
                        }
                    },
                    Some("dependencies") => {}
                    _ => {
                        ok = false;
                        self.report(
Code::DioptraInvalidTaskGraph,
                            format!(
                                "In step \"{name}\": unknown property {} in a long-form step",
                                key.repr()
                            ),
                            key.span,
                            Some("a long-form step has only `task`, `args`, `kwargs` and `dependencies`".into()),
                        );
                    }
                }
            }
        } else {
            let invocations: Vec<&&(YNode, YNode)> = entries
                .iter()
                .filter(|(k, _)| k.as_str() != Some("dependencies"))
                .collect();
            if invocations.len() != 1 {
                self.report(
Code::DioptraInvalidTaskGraph,
                    format!(
                        "In step \"{name}\": illegal task invocation: A positional/keyword short form step definition must be an object which includes a property whose name is the task plugin short name."
                    ),
                    if invocations.len() > 1 { invocations[1].0.span } else { key_span },
                    Some(if invocations.is_empty() {
                        "name the task: `step: {task_name: {param: value}}`".to_string()
                    } else {
                        "a short-form step has one task key (plus optional `dependencies`); use `task:`, `args:` and `kwargs:` for other forms".to_string()
                    }),
                );
                return None;
            }
            let (key, value) = &**invocations[0];
            let Some(task) = key.as_str() else {
                self.report(
Code::DioptraInvalidTaskGraph,
                    format!(
                        "In step \"{name}\": illegal task invocation: unable to determine task plugin short name: {}",
                        key.repr()
                    ),
                    key.span,
                    None,
                );
                return None;
            };
            step.task = task.to_string();
            step.task_span = key.span;
            match &value.value {
                YValue::Seq(items) => step.positional.extend(items.iter()),
                YValue::Map(kwargs) => {
                    for (k, v) in kwargs {
                        match k.as_str() {
                            Some(kw) => step.keywords.push((kw.to_string(), k.span, v)),
                            None => {
                                ok = false;
                                self.report(
Code::DioptraInvalidTaskGraph,
                                    format!("In step \"{name}\": keyword argument names must be strings: {}", k.repr()),
                                    k.span,
                                    None,
                                );
                            }
                        }
                    }
                }
                _ => step.positional.push(value),
            }
        }
        (ok && !step.task.is_empty()).then_some(step)
    }

    // -- references ------------------------------------------------------------

    /// Dioptra's `_check_reference`: what the reference is, or the message.
    fn resolve(
        &self,
        reference: &str,
        graph: &HashMap<&str, &Step<'_>>,
    ) -> Result<Resolved, Option<String>> {
        let (name, output) = reference_coords(reference);
        if let Some(step) = graph.get(name) {
            let Some(task) = self.tasks.get(step.task.as_str()) else {
                // An unknown task is reported by its own check.
                return Err(None);
            };
            return match output {
                None if task.outputs.is_empty() => Err(Some(format!(
                    "reference \"{reference}\": referenced step produces no output"
                ))),
                None if task.outputs.len() > 1 => Err(Some(format!(
                    "reference \"{reference}\": an output name must be given if the task plugin produces more than one output."
                ))),
                None => Ok(Resolved::Output(task.outputs[0].1.clone())),
                Some(output) => match task.outputs.iter().find(|(n, _)| n == output) {
                    Some((_, type_name)) => Ok(Resolved::Output(type_name.clone())),
                    None => Err(Some(format!(
                        "reference \"{reference}\": unrecognized output: {output}"
                    ))),
                },
            };
        }
        if self.params.contains_key(name) {
            return match output {
                Some(output) if !output.is_empty() => Err(Some(format!(
                    "reference \"{reference}\": references to parameters may not include an output name: {output}"
                ))),
                _ => Ok(Resolved::Parameter(name.to_string())),
            };
        }
        if let Some(artifact) = self.artifacts.get(name) {
            return match output {
                None if artifact.outputs.len() > 1 => Err(Some(format!(
                    "reference \"{reference}\": an output name must be given if the artifact task produces more than one output."
                ))),
                None => match artifact.outputs.first() {
                    Some((_, t)) => Ok(Resolved::Artifact(t.clone())),
                    None => Ok(Resolved::Artifact("any".into())),
                },
                Some(output) => match artifact.outputs.iter().find(|(n, _)| n == output) {
                    Some((_, t)) => Ok(Resolved::Artifact(t.clone())),
                    None => Err(Some(format!(
                        "reference \"{name}\" unrecognized artifact output: {output}"
                    ))),
                },
            };
        }
        Err(Some(format!("unresolvable reference: {name}")))
    }

    /// Checks one reference; records the global it uses.
    fn check_reference(
        &mut self,
        context: &str,
        reference: &Reference,
        graph: &HashMap<&str, &Step<'_>>,
    ) -> bool {
        let (root, _) = reference_coords(&reference.text);
        if !graph.contains_key(root) {
            self.used_globals.insert(root.to_string());
        }
        match self.resolve(&reference.text, graph) {
            Ok(_) => true,
            Err(None) => false,
            Err(Some(message)) => {
                let missing = !graph.contains_key(root)
                    && !self.params.contains_key(root)
                    && !self.artifacts.contains_key(root);
                let help = if missing {
                    let candidates: Vec<&str> = graph
                        .keys()
                        .copied()
                        .chain(self.params.keys().copied())
                        .chain(self.artifacts.keys().copied())
                        .collect();
                    Some(match did_you_mean(root, &candidates) {
                        Some(best) => format!(
                            "did you mean `${best}`? (a literal string starting with `$` is written `$${}`)",
                            &reference.text
                        ),
                        None => format!(
                            "`{root}` is not a step, an entrypoint parameter or an artifact parameter; declare it in the entrypoint's `params`, or write `$${}` for a literal string",
                            &reference.text
                        ),
                    })
                } else {
                    None
                };
                self.report(
                    Code::DioptraUnresolvableReference,
                    format!("{context}{message}"),
                    reference.span,
                    help,
                );
                if missing && self.missing_globals.insert(root.to_string()) {
                    let (toml_file, toml_span) = self.toml_param("params", root);
                    let diagnostic = Diagnostic::error(
                        Code::DioptraMissingGlobalParameter,
                        format!("Global parameter '{root}' required by the task graph but not declared on entrypoint."),
                    )
                    .at(self.file, reference.span)
                    .with_help(format!("add a parameter named `{root}` to the entrypoint's `params` (or `artifact_params`)"))
                    .with_related(&toml_file, toml_span, "the entrypoint is declared here");
                    self.push(diagnostic);
                }
                false
            }
        }
    }

    // -- types -------------------------------------------------------------------

    /// The type of a reference, when it can be known.
    fn reference_type(&self, reference: &str, graph: &HashMap<&str, &Step<'_>>) -> Option<SemType> {
        let (name, output) = reference_coords(reference);
        if output.is_none()
            && !graph.contains_key(name)
            && let Some(t) = self.param_types.get(name)
        {
            return t.clone();
        }
        match self.resolve(reference, graph).ok()? {
            Resolved::Output(t) | Resolved::Artifact(t) => self.input.types.sem_named(&t),
            Resolved::Parameter(p) => self.param_types.get(p.as_str()).cloned().flatten(),
        }
    }

    /// Dioptra's `_infer_type` (with reference resolution when `graph` is given).
    fn infer(&self, node: &YNode, graph: Option<&HashMap<&str, &Step<'_>>>) -> Option<SemType> {
        Some(match &node.value {
            YValue::Timestamp(_) => SemType::builtin("any"),
            YValue::Str(s) => match graph {
                Some(graph) if is_reference(s) => return self.reference_type(&s[1..], graph),
                _ => SemType::builtin("string"),
            },
            YValue::Bool(_) => SemType::builtin("boolean"),
            YValue::Int(_) => SemType::builtin("integer"),
            YValue::Float(_) => SemType::builtin("number"),
            YValue::Null => SemType::builtin("null"),
            YValue::Seq(items) => SemType::anonymous(Structure::Tuple(
                items
                    .iter()
                    .map(|i| self.infer(i, graph))
                    .collect::<Option<_>>()?,
            )),
            YValue::Map(entries) => {
                if entries.is_empty() {
                    return Some(SemType::anonymous(Structure::Enumerated(Vec::new())));
                }
                let key_types: Vec<SemType> = entries
                    .iter()
                    .map(|(k, _)| {
                        self.infer(k, None)
                            .unwrap_or_else(|| SemType::builtin("any"))
                    })
                    .collect();
                let base = types::common_base(&key_types);
                match &base {
                    SemType::Simple { name, .. } if name == "string" => {
                        SemType::anonymous(Structure::Enumerated(
                            entries
                                .iter()
                                .map(|(k, v)| Some((k.key_string(), self.infer(v, graph)?)))
                                .collect::<Option<_>>()?,
                        ))
                    }
                    SemType::Simple { name, .. } if name == "integer" => {
                        let values: Vec<SemType> = entries
                            .iter()
                            .map(|(_, v)| self.infer(v, graph))
                            .collect::<Option<_>>()?;
                        let value = match SemType::union(values) {
                            SemType::Union { mut members, .. } if members.len() == 1 => {
                                members.remove(0)
                            }
                            union => union,
                        };
                        SemType::anonymous(Structure::Mapping(
                            Box::new(base.clone()),
                            Box::new(value),
                        ))
                    }
                    _ => SemType::builtin("any"),
                }
            }
        })
    }

    /// Same for a JSON value (entrypoint parameter defaults).
    fn infer_json(value: &Value) -> SemType {
        match value {
            Value::String(_) => SemType::builtin("string"),
            Value::Bool(_) => SemType::builtin("boolean"),
            Value::Number(n) if n.is_f64() => SemType::builtin("number"),
            Value::Number(_) => SemType::builtin("integer"),
            Value::Null => SemType::builtin("null"),
            Value::Array(items) => SemType::anonymous(Structure::Tuple(
                items.iter().map(Self::infer_json).collect(),
            )),
            Value::Object(map) => SemType::anonymous(Structure::Enumerated(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::infer_json(v)))
                    .collect(),
            )),
        }
    }

    // -- one rendered graph ------------------------------------------------------

    fn check_graph(&mut self, steps: &[&Step<'a>]) {
        let graph: HashMap<&str, &Step<'_>> = steps.iter().map(|s| (s.name.as_str(), *s)).collect();
        for step in steps {
            let name = step.name.as_str();
            // Known task.
            let task = self.tasks.get(step.task.as_str()).copied();
            if let Some(task) = task {
                self.used_tasks
                    .insert((task.plugin.clone(), task.name.clone()));
            } else if !step.from_swap {
                let help = self.unknown_task_help(&step.task);
                self.report(
                    Code::DioptraUnknownTask,
                    format!(
                        "In step \"{name}\": unrecognized task plugin: {}",
                        step.task
                    ),
                    step.task_span,
                    Some(help),
                );
            }
            // Invocation.
            if let Some(task) = task {
                self.check_invocation(step, task);
            }
            // References and dependencies.
            let mut references = Vec::new();
            step.arguments()
                .for_each(|a| collect_references(a, &mut references));
            for reference in &references {
                self.check_reference(&format!("In step \"{name}\": "), reference, &graph);
            }
            let unknown: Vec<&(String, Span)> = step
                .dependencies
                .iter()
                .filter(|(d, _)| !graph.contains_key(d.as_str()))
                .collect();
            if !unknown.is_empty() {
                let names: Vec<&str> = unknown.iter().map(|(d, _)| d.as_str()).collect();
                let candidates: Vec<&str> = graph.keys().copied().collect();
                let help =
                    did_you_mean(names[0], &candidates).map(|b| format!("did you mean `{b}`?"));
                self.report(
                    Code::DioptraUnresolvableReference,
                    format!(
                        "In step \"{name}\": unrecognized dependency step(s): {}",
                        names.join(", ")
                    ),
                    unknown[0].1,
                    help,
                );
            }
        }
        // Cycles over references and dependencies.
        let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
        for step in steps {
            let mut targets: Vec<String> = Vec::new();
            let mut references = Vec::new();
            step.arguments()
                .for_each(|a| collect_references(a, &mut references));
            for reference in references {
                let (root, _) = reference_coords(&reference.text);
                if graph.contains_key(root) {
                    targets.push(root.to_string());
                }
            }
            for (dep, _) in &step.dependencies {
                if graph.contains_key(dep.as_str()) {
                    targets.push(dep.clone());
                }
            }
            edges.insert(step.name.as_str(), targets);
        }
        for (start, path) in find_cycles(&names, &edges) {
            let span = graph[start.as_str()].key_span;
            self.report(
                Code::DioptraStepCycle,
                format!("Step cycle detected: {}", path.join(" > ")),
                span,
                Some("a step cannot depend on itself through references or `dependencies`".into()),
            );
        }
        // Argument types.
        for step in steps {
            if let Some(task) = self.tasks.get(step.task.as_str()).copied() {
                self.check_argument_types(step, task, &graph);
            }
        }
    }

    fn unknown_task_help(&self, task: &str) -> String {
        if let Some(artifact) = self.input.artifact_tasks.iter().find(|t| t.name == task) {
            return format!(
                "`{task}` is an artifact task of plugin `{}`; artifact tasks are used in the `artifacts:` section, not in `graph:`",
                artifact.plugin
            );
        }
        let candidates: Vec<&str> = self.tasks.keys().copied().collect();
        match did_you_mean(task, &candidates) {
            Some(best) => format!("did you mean `{best}`?"),
            None if candidates.is_empty() => {
                "the entrypoint's `plugins` provide no function tasks; add the plugin that defines this task to its `plugins`".into()
            }
            None => {
                let mut sorted = candidates.clone();
                sorted.sort_unstable();
                format!(
                    "the tasks of the entrypoint's `plugins` are: {}",
                    sorted.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }

    fn check_invocation(&mut self, step: &Step<'_>, task: &TaskSignature) {
        let name = step.name.as_str();
        if step.positional.len() > task.inputs.len() {
            self.report(
Code::DioptraInvalidInvocation,
                format!(
                    "In step \"{name}\": illegal task invocation: there are more positional args given than task parameters: {} > {}",
                    step.positional.len(),
                    task.inputs.len()
                ),
                step.positional[task.inputs.len()].span,
                Some(format!(
                    "task `{}` takes {}",
                    task.name,
                    describe_inputs(task)
                )),
            );
        }
        for (keyword, span, _) in &step.keywords {
            if !task.inputs.iter().any(|i| &i.name == keyword) {
                let candidates: Vec<&str> = task.inputs.iter().map(|i| i.name.as_str()).collect();
                let help = match did_you_mean(keyword, &candidates) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("task `{}` takes {}", task.name, describe_inputs(task)),
                };
                self.report(
Code::DioptraInvalidInvocation,
                    format!(
                        "In step \"{name}\": illegal task invocation: keyword arg does not correspond to a task parameter: {keyword}"
                    ),
                    *span,
                    Some(help),
                );
            }
        }
        for (index, (arg, input)) in step.positional.iter().zip(&task.inputs).enumerate() {
            if let Some((_, span, _)) = step.keywords.iter().find(|(k, _, _)| k == &input.name) {
                let _ = arg;
                self.report(
Code::DioptraInvalidInvocation,
                    format!(
                        "In step \"{name}\": illegal task invocation: task parameter \"{}\" is assigned a value both as a keyword arg and positional arg #{}",
                        input.name,
                        index + 1
                    ),
                    *span,
                    None,
                );
            }
        }
        for (index, input) in task.inputs.iter().enumerate() {
            let present = step.positional.len() > index
                || step.keywords.iter().any(|(k, _, _)| k == &input.name);
            if input.required && !present {
                self.report(
Code::DioptraMissingRequiredArgument,
                    format!(
                        "In step \"{name}\": illegal task invocation: required task parameter is not assigned a value: {}",
                        input.name
                    ),
                    step.task_span,
                    Some(format!("task `{}` takes {}", task.name, describe_inputs(task))),
                );
            }
        }
    }

    fn check_argument_types(
        &mut self,
        step: &Step<'_>,
        task: &TaskSignature,
        graph: &HashMap<&str, &Step<'_>>,
    ) {
        let mut pairs: Vec<(String, &YNode, &TaskParameter)> = Vec::new();
        for (index, (arg, input)) in step.positional.iter().zip(&task.inputs).enumerate() {
            pairs.push((
                format!("in positional parameter #{}", index + 1),
                arg,
                input,
            ));
        }
        for (keyword, _, value) in &step.keywords {
            if let Some(input) = task.inputs.iter().find(|i| &i.name == keyword) {
                pairs.push((format!("in keyword argument \"{keyword}\""), value, input));
            }
        }
        for (context, arg, input) in pairs {
            let Some(param_type) = self.input.types.sem_named(&input.type_name) else {
                continue;
            };
            let Some(arg_type) = self.infer(arg, Some(graph)) else {
                continue;
            };
            if !compatible(&arg_type, &param_type) {
                self.report(
Code::DioptraIncompatibleArgument,
                    format!(
                        "in step \"{}\": {context}: Inferred invocation arg type and task plugin input type are incompatible. Found {arg_type}; expected {param_type}",
                        step.name
                    ),
                    arg.span,
                    Some(format!("parameter `{}` of task `{}` has type `{}`", input.name, task.name, input.type_name)),
                );
            }
        }
    }
}

fn describe_inputs(task: &TaskSignature) -> String {
    if task.inputs.is_empty() {
        return "no parameters".into();
    }
    let names: Vec<String> = task
        .inputs
        .iter()
        .map(|i| {
            format!(
                "`{}: {}`{}",
                i.name,
                i.type_name,
                if i.required { "" } else { " (optional)" }
            )
        })
        .collect();
    format!("parameters {}", names.join(", "))
}

fn yaml_kind(node: &YNode) -> &'static str {
    match node.value {
        YValue::Null => "null",
        YValue::Bool(_) => "a boolean",
        YValue::Int(_) => "an integer",
        YValue::Float(_) => "a float",
        YValue::Str(_) => "a string",
        YValue::Timestamp(_) => "a timestamp",
        YValue::Seq(_) => "a list",
        YValue::Map(_) => "a mapping",
    }
}

fn did_you_mean<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(name, candidate);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Python's `int()` on a string.
fn python_int(text: &str) -> Option<i128> {
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let value: i128 = digits.replace('_', "").parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Python's `float()` on a string.
fn python_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return lower.parse().ok();
    }
    if t.contains("__")
        || t.starts_with('_')
        || t.ends_with('_')
        || t.contains("_.")
        || t.contains("._")
    {
        return None;
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    t.replace('_', "").parse().ok()
}

/// The default of an entrypoint parameter, coerced as Dioptra's
/// `coerce_to_type` does; `None` when it does not coerce.
pub fn coerce_default(kind: &str, default: &str) -> Option<Value> {
    match kind {
        "string" => Some(Value::String(default.to_string())),
        "integer" => python_int(default)
            .map(|i| i64::try_from(i).map_or_else(|_| Value::String(i.to_string()), Value::from)),
        "float" => python_float(default).map(|f| {
            serde_json::Number::from_f64(f)
                .map_or_else(|| Value::String(py_float(f)), Value::Number)
        }),
        "boolean" => match default.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        "list" => serde_json::from_str::<Value>(default)
            .ok()
            .filter(Value::is_array),
        "mapping" => serde_json::from_str::<Value>(default)
            .ok()
            .filter(Value::is_object),
        _ => None,
    }
}

fn explicit_type(kind: &str) -> Option<&'static str> {
    match kind {
        "string" => Some("string"),
        "integer" => Some("integer"),
        "float" => Some("number"),
        "boolean" => Some("boolean"),
        _ => None,
    }
}

/// The module path Dioptra builds for a task: `plugin.module.task`.
fn plugin_field(toml: &Document, plugin: &str, task: &str) -> String {
    let filename = (|| {
        let plugins = toml.get("/plugins")?.as_array()?;
        for entry in plugins {
            let path = entry.get("path")?.as_str()?;
            let stem = path.trim_end_matches('/').rsplit('/').next()?;
            if stem != plugin {
                continue;
            }
            let tasks = entry.get("tasks")?;
            let list = match tasks {
                Value::Array(list) => list.clone(),
                Value::Object(map) => map.get("functions")?.as_array()?.clone(),
                _ => continue,
            };
            for t in list {
                if t.get("name").and_then(Value::as_str) == Some(task) {
                    return t
                        .get("filename")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                }
            }
        }
        None
    })();
    let mut parts = vec![plugin.to_string()];
    if let Some(filename) = filename {
        let components: Vec<&str> = filename.split('/').filter(|c| !c.is_empty()).collect();
        let keep = if components.last() == Some(&"__init__.py") {
            &components[..components.len() - 1]
        } else {
            &components[..]
        };
        parts.extend(
            keep.iter()
                .map(|c| c.strip_suffix(".py").unwrap_or(c).to_string()),
        );
    }
    parts.push(task.to_string());
    parts.join(".")
}

fn outputs_json(outputs: &[(String, String)]) -> Value {
    if outputs.len() == 1 {
        json!({ outputs[0].0.clone(): outputs[0].1.clone() })
    } else {
        Value::Array(
            outputs
                .iter()
                .map(|(n, t)| json!({ n.clone(): t.clone() }))
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------
// The entry point
// ---------------------------------------------------------------------------

/// Parses the YAML (with line:col spans) and runs every validator check of the
/// spec, plus the extras that concern the graph (unused params/artifact params as
/// warnings, ambiguous task names in two attached plugins, `artifacts:` task
/// names that are not artifact tasks).
pub fn check_entrypoint(input: &EntrypointInput<'_>) -> GraphOutcome {
    let mut outcome = GraphOutcome::default();
    let file = input.yaml;
    let root = match parse_yaml(file) {
        Ok(root) => root,
        Err(error) => {
            outcome.diagnostics.push(
                Diagnostic::error(
                    Code::DioptraYamlSyntax,
                    format!("invalid YAML: {}", error.message),
                )
                .at(file, error.span),
            );
            return outcome;
        }
    };

    let mut tasks: HashMap<&str, &TaskSignature> = HashMap::new();
    let mut task_order: Vec<&str> = Vec::new();
    for task in &input.function_tasks {
        if tasks.insert(task.name.as_str(), task).is_none() {
            task_order.push(task.name.as_str());
        }
    }
    let mut checker = Checker {
        input,
        file,
        tasks,
        params: input.params.iter().map(|p| (p.name.as_str(), p)).collect(),
        param_types: HashMap::new(),
        artifacts: input
            .artifact_params
            .iter()
            .map(|a| (a.name.as_str(), a))
            .collect(),
        diagnostics: Vec::new(),
        seen: HashMap::new(),
        combination_hits: HashMap::new(),
        used_globals: BTreeSet::new(),
        missing_globals: BTreeSet::new(),
        used_tasks: BTreeSet::new(),
        combination: None,
    };

    // Global parameters: types, defaults (Dioptra's `extract_parameters`).
    let mut parameters_json = Map::new();
    for param in &input.params {
        let coerced = param
            .default_value
            .as_deref()
            .and_then(|d| coerce_default(&param.kind, d));
        let mut entry = Map::new();
        entry.insert("default".into(), coerced.clone().unwrap_or(Value::Null));
        let param_type = match explicit_type(&param.kind) {
            Some(t) => {
                entry.insert("type".into(), Value::String(t.into()));
                Some(SemType::builtin(t))
            }
            None => coerced.as_ref().map(Checker::infer_json),
        };
        // A non-finite float (`inf`, `nan`) has no JSON number: it is carried as
        // its Python repr, and is a number all the same.
        let non_finite_float =
            param.kind == "float" && coerced.as_ref().is_some_and(Value::is_string);
        if let (Some(t), Some(default)) = (&param_type, &coerced)
            && !non_finite_float
            && let Some(message) = default_mismatch(&param.name, t, default)
        {
            let (toml_file, span) = checker.toml_param("params", &param.name);
            checker.diagnostics.push(
                Diagnostic::error(Code::DioptraParameterTypeMismatch, message).at(&toml_file, span),
            );
        }
        checker.param_types.insert(param.name.clone(), param_type);
        parameters_json.insert(param.name.clone(), Value::Object(entry));
        if param.name.contains('.') {
            let (toml_file, span) = checker.toml_param("params", &param.name);
            checker.diagnostics.push(
                Diagnostic::error(
                    Code::DioptraInvalidTaskGraph,
                    format!(
                        "Parameter name \"{}\" contains a dot.  References to this parameter will ambiguously look like step.output references.",
                        param.name
                    ),
                )
                .at(&toml_file, span),
            );
        }
    }

    let mut graph_json = Value::Null;
    let mut artifacts_json: Option<Value> = None;

    match &root {
        Some(root) if root.as_map().is_some() => {
            let entries = root.as_map().unwrap_or_default();
            for (key, _) in entries {
                match key.as_str() {
                    Some("graph" | "artifacts") => {}
                    _ => checker.warning(
                        Code::DioptraInvalidTaskGraph,
                        format!(
                            "unknown top-level key {} in the entrypoint file; Dioptra reads only `graph` and `artifacts`",
                            key.repr()
                        ),
                        key.span,
                    ),
                }
            }
            match root.entry("graph") {
                None => checker.report(
                    Code::DioptraInvalidTaskGraph,
                    "the entrypoint file has no `graph`".into(),
                    Span::at(0),
                    Some("add a `graph:` mapping of step names to task invocations".into()),
                ),
                Some((key, graph)) => {
                    graph_json = graph.to_json();
                    match &graph.value {
                        YValue::Map(steps) if !steps.is_empty() => check_steps(&mut checker, steps),
                        YValue::Map(_) | YValue::Null => checker.report(
                            Code::DioptraInvalidTaskGraph,
                            "the task graph is empty: `graph` must hold at least one step".into(),
                            key.span,
                            None,
                        ),
                        _ => checker.report(
                            Code::DioptraInvalidTaskGraph,
                            format!("`graph` must be a mapping of step names to task invocations, not {}", yaml_kind(graph)),
                            graph.span,
                            None,
                        ),
                    }
                }
            }
            if let Some(artifacts) = root.get("artifacts") {
                artifacts_json = Some(artifacts.to_json());
                let steps: Vec<String> = match root.get("graph").and_then(YNode::as_map) {
                    Some(steps) => steps
                        .iter()
                        .filter_map(|(k, _)| k.as_str().map(str::to_string))
                        .collect(),
                    None => Vec::new(),
                };
                check_artifacts(&mut checker, artifacts, root.get("graph"), &steps);
            }
        }
        Some(root) => checker.report(
            Code::DioptraInvalidTaskGraph,
            format!(
                "the entrypoint file must be a YAML mapping with a `graph`, not {}",
                yaml_kind(root)
            ),
            root.span,
            None,
        ),
        None => checker.report(
            Code::DioptraInvalidTaskGraph,
            "the entrypoint file is empty: it must be a YAML mapping with a `graph`".into(),
            Span::at(0),
            None,
        ),
    }

    // Extras: unused params and artifact params.
    let globals = (input
        .params
        .iter()
        .map(|p| ("params", "entrypoint", &p.name)))
    .chain((input.artifact_params.iter()).map(|a| ("artifact_params", "artifact", &a.name)));
    for (section, what, name) in globals {
        if !checker.used_globals.contains(name) {
            let (toml_file, span) = checker.toml_param(section, name);
            checker.diagnostics.push(
                Diagnostic::warning(
                    Code::DioptraUnusedParameter,
                    format!("{what} parameter `{name}` is not used by the task graph"),
                )
                .at(&toml_file, span)
                .with_help(format!("remove it, or reference it as `${name}` in a step")),
            );
        }
    }
    // Extras: the same function task name in two attached plugins.
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for task in &input.function_tasks {
        let plugins = by_name.entry(task.name.as_str()).or_default();
        if !plugins.contains(&task.plugin.as_str()) {
            plugins.push(task.plugin.as_str());
        }
    }
    for (name, plugins) in by_name {
        if plugins.len() > 1 {
            let pointer = format!("{}/plugins", input.entrypoint_pointer);
            let toml = input.toml;
            checker.diagnostics.push(
                Diagnostic::warning(
                    Code::DioptraAmbiguousTask,
                    format!(
                        "task `{name}` is defined in several plugins of this entrypoint ({}); Dioptra silently uses the one of `{}`",
                        plugins.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                        plugins.last().copied().unwrap_or_default()
                    ),
                )
                .at(&toml.file, toml.key_span(&pointer))
                .with_help("rename one of the tasks, or attach only one of these plugins"),
            );
        }
    }

    // The task-engine document.
    let mut tasks_json = Map::new();
    for name in &task_order {
        let task = checker.tasks[name];
        let mut entry = Map::new();
        entry.insert(
            "plugin".into(),
            Value::String(plugin_field(input.toml, &task.plugin, &task.name)),
        );
        if !task.inputs.is_empty() {
            entry.insert(
                "inputs".into(),
                Value::Array(
                    task.inputs
                        .iter()
                        .map(|i| json!({"name": i.name, "type": i.type_name, "required": i.required}))
                        .collect(),
                ),
            );
        }
        if !task.outputs.is_empty() {
            entry.insert("outputs".into(), outputs_json(&task.outputs));
        }
        tasks_json.insert(name.to_string(), Value::Object(entry));
    }
    let mut types_json = Map::new();
    for decl in &input.types.decls {
        if types::is_builtin(&decl.name) || types_json.contains_key(&decl.name) {
            continue;
        }
        let structure = input
            .toml
            .get(&format!("{}/structure", decl.pointer))
            .cloned()
            .unwrap_or(Value::Null);
        types_json.insert(decl.name.clone(), structure);
    }
    let mut document = Map::new();
    document.insert("types".into(), Value::Object(types_json));
    document.insert("parameters".into(), Value::Object(parameters_json));
    if !input.artifact_params.is_empty() {
        document.insert(
            "artifact_inputs".into(),
            Value::Object(
                input
                    .artifact_params
                    .iter()
                    .map(|a| (a.name.clone(), outputs_json(&a.outputs)))
                    .collect(),
            ),
        );
    }
    document.insert("tasks".into(), Value::Object(tasks_json));
    document.insert("graph".into(), graph_json);
    if let Some(artifacts) = artifacts_json {
        document.insert("artifact_outputs".into(), artifacts);
    }
    outcome.task_engine = Some(Value::Object(document));

    // Used tasks and types.
    let mut used_types = BTreeSet::new();
    for (plugin, name) in &checker.used_tasks {
        let signature = input
            .function_tasks
            .iter()
            .chain(&input.artifact_tasks)
            .find(|t| &t.plugin == plugin && &t.name == name);
        if let Some(task) = signature {
            used_types.extend(task.inputs.iter().map(|i| i.type_name.clone()));
            used_types.extend(task.outputs.iter().map(|(_, t)| t.clone()));
        }
    }
    for artifact in &input.artifact_params {
        used_types.extend(artifact.outputs.iter().map(|(_, t)| t.clone()));
    }
    let mut queue: Vec<String> = used_types.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for reference in input.types.references(&name) {
            if used_types.insert(reference.clone()) {
                queue.push(reference);
            }
        }
    }
    outcome.used_types = used_types
        .into_iter()
        .filter(|t| input.types.get(t).is_some())
        .collect();
    outcome.used_tasks = std::mem::take(&mut checker.used_tasks);
    outcome.diagnostics = checker.diagnostics;
    outcome
}

/// Dioptra's `_check_global_parameter_defaults` for one parameter: the message
/// when the (coerced) default does not fit the parameter's type. With Dioptra's
/// coercion of string defaults this only fires for inconsistent inputs.
fn default_mismatch(name: &str, param_type: &SemType, default: &Value) -> Option<String> {
    (!compatible(&Checker::infer_json(default), param_type)).then(|| {
        format!(
            "In global parameter \"{name}\": default value {} is incompatible with its declared type: {param_type}",
            json_repr(default)
        )
    })
}

/// Python's repr of a JSON value.
fn json_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_repr_str(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(json_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", py_repr_str(k), json_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// One swap of a step: its name and choices.
struct Swap<'a> {
    name: String,
    choices: Vec<(String, Step<'a>)>,
}

/// Step names, step shapes, collisions, swaps; then every swap combination.
fn check_steps<'a>(checker: &mut Checker<'a, '_>, entries: &'a [(YNode, YNode)]) {
    // Step names.
    let mut named: Vec<(&'a str, &'a YNode, &'a YNode)> = Vec::new();
    for (key, def) in entries {
        match key.as_str() {
            None => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!("Graph step names must be strings: {}", key.repr()),
                key.span,
                Some("quote the step name".into()),
            ),
            Some(name) if name.trim().is_empty() => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!(
                    "Graph step names names must be non-empty/whitespace: {}",
                    py_repr_str(name)
                ),
                key.span,
                None,
            ),
            Some(name) => {
                if name.contains('.') {
                    checker.report(
                        Code::DioptraInvalidTaskGraph,
                        format!(
                            "Step name \"{name}\" contains a dot.  References to this step will ambiguously look like step.output references."
                        ),
                        key.span,
                        None,
                    );
                }
                named.push((name, key, def));
            }
        }
    }
    // Name collisions with parameters.
    for (name, key, _) in &named {
        if checker.params.contains_key(name) {
            let (toml_file, span) = checker.toml_param("params", name);
            let diagnostic = Diagnostic::error(
                Code::DioptraNameCollision,
                format!("Some parameters and steps have the same name: {name}"),
            )
            .at(checker.file, key.span)
            .with_related(
                &toml_file,
                span,
                "the entrypoint parameter is declared here",
            )
            .with_help("rename the step or the parameter: `$name` could not tell them apart");
            checker.push(diagnostic);
        }
    }
    // Steps and swaps.
    let mut fixed: Vec<Option<Step<'a>>> = Vec::new();
    let mut swaps: Vec<(usize, Swap<'a>)> = Vec::new();
    let mut swap_names: HashMap<String, Span> = HashMap::new();
    for (name, key, def) in &named {
        let swap_entries: Vec<&'a (YNode, YNode)> = def
            .as_map()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('?')))
                    .collect()
            })
            .unwrap_or_default();
        if swap_entries.is_empty() {
            fixed.push(checker.parse_step(name, key.span, def, &[], false));
            continue;
        }
        fixed.push(None);
        if swap_entries.len() > 1 {
            checker.report(
                Code::DioptraInvalidSwap,
                format!(
                    "In step \"{name}\": a step may hold at most one swap, found {}",
                    swap_entries.len()
                ),
                swap_entries[1].0.span,
                None,
            );
        }
        let (swap_key, swap_def) = swap_entries[0];
        let swap_label = swap_key.as_str().unwrap_or_default();
        if let Some(previous) = swap_names.insert(swap_label.to_string(), swap_key.span) {
            let diagnostic = Diagnostic::error(
                Code::DioptraInvalidSwap,
                format!("swap name '{swap_label}' is used by more than one step; swap names must be unique"),
            )
            .at(checker.file, swap_key.span)
            .with_related(checker.file, previous, "first used here");
            checker.push(diagnostic);
        }
        let extra: Vec<&'a (YNode, YNode)> = def
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter(|(k, _)| !k.as_str().is_some_and(|s| s.starts_with('?')))
            .collect();
        for (k, _) in &extra {
            if k.as_str() != Some("dependencies") {
                checker.report(
                    Code::DioptraInvalidSwap,
                    format!("In step \"{name}\": a step with a swap may only add `dependencies`, found {}", k.repr()),
                    k.span,
                    None,
                );
            }
        }
        let extra: Vec<&'a (YNode, YNode)> = extra
            .into_iter()
            .filter(|(k, _)| k.as_str() == Some("dependencies"))
            .collect();
        let Some(choices) = swap_def.as_map() else {
            checker.report(
                Code::DioptraInvalidSwap,
                format!("In swap '{swap_label}': a swap must map choice names to step definitions, not {}", yaml_kind(swap_def)),
                swap_def.span,
                None,
            );
            continue;
        };
        let mut declared_outputs: Option<(usize, Span)> = None;
        let mut swap = Swap {
            name: swap_label.trim_start_matches('?').to_string(),
            choices: Vec::new(),
        };
        let mut output_types: Vec<(String, Vec<String>, Span)> = Vec::new();
        for (choice_key, choice_def) in choices {
            let Some(choice) = choice_key.as_str() else {
                checker.report(
                    Code::DioptraInvalidSwap,
                    format!(
                        "In swap '{swap_label}': choice names must be strings: {}",
                        choice_key.repr()
                    ),
                    choice_key.span,
                    None,
                );
                continue;
            };
            if choice == "?outputs" {
                match &choice_def.value {
                    YValue::Seq(items) if items.iter().all(|i| i.as_str().is_some()) => {
                        declared_outputs = Some((items.len(), choice_def.span));
                    }
                    _ => checker.report(
                        Code::DioptraInvalidSwap,
                        format!(
                            "In swap '{swap_label}': `?outputs` must be a list of output names"
                        ),
                        choice_def.span,
                        None,
                    ),
                }
                continue;
            }
            if choice.starts_with('?') {
                checker.report(
                    Code::DioptraInvalidSwap,
                    format!("In swap '{swap_label}': unknown swap property '{choice}'"),
                    choice_key.span,
                    None,
                );
                continue;
            }
            let Some(step) = checker.parse_step(name, key.span, choice_def, &extra, true) else {
                continue;
            };
            match checker.tasks.get(step.task.as_str()).copied() {
                None => {
                    let help = checker.unknown_task_help(&step.task);
                    checker.report(
                        Code::DioptraInvalidSwap,
                        format!(
                            "In swap '{swap_label}', task with name '{}' not found in registered tasks.",
                            step.task
                        ),
                        step.task_span,
                        Some(help),
                    );
                }
                Some(task) => output_types.push((
                    choice.to_string(),
                    task.outputs.iter().map(|(_, t)| t.clone()).collect(),
                    step.task_span,
                )),
            }
            swap.choices.push((choice.to_string(), step));
        }
        if let Some((count, span)) = declared_outputs {
            for (choice, outputs, task_span) in &output_types {
                if outputs.len() != count {
                    let diagnostic = Diagnostic::error(
                        Code::DioptraInvalidSwap,
                        format!(
                            "In swap '{swap_label}': choice '{choice}' produces {} output(s) but `?outputs` names {count}",
                            outputs.len()
                        ),
                    )
                    .at(checker.file, *task_span)
                    .with_related(checker.file, span, "`?outputs` is declared here");
                    checker.push(diagnostic);
                }
            }
        }
        let distinct: BTreeSet<&Vec<String>> = output_types.iter().map(|(_, o, _)| o).collect();
        if distinct.len() > 1 {
            let described: Vec<String> = distinct
                .iter()
                .map(|o| format!("({})", o.join(", ")))
                .collect();
            checker.report(
                Code::DioptraInvalidSwap,
                format!("Swap '{swap_label}' contains mismatched output types: {}", described.join(", ")),
                swap_key.span,
                Some("every choice of a swap must produce the same output types, position by position".into()),
            );
        }
        if choices
            .iter()
            .all(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('?')))
        {
            checker.report(
                Code::DioptraInvalidSwap,
                format!("In swap '{swap_label}': the swap has no choices"),
                swap_key.span,
                None,
            );
        }
        if !swap.choices.is_empty() {
            swaps.push((fixed.len() - 1, swap));
        }
    }

    // Every combination of swap choices (bounded).
    const MAX_COMBINATIONS: usize = 256;
    let mut combination = vec![0usize; swaps.len()];
    let mut count = 0;
    'combinations: loop {
        let mut steps: Vec<&Step<'a>> = Vec::new();
        let mut labels = Vec::new();
        for (index, step) in fixed.iter().enumerate() {
            if let Some(step) = step {
                steps.push(step);
            } else if let Some(position) = swaps.iter().position(|(i, _)| *i == index) {
                let (choice, step) = &swaps[position].1.choices[combination[position]];
                labels.push(format!("'{}': '{choice}'", swaps[position].1.name));
                steps.push(step);
            }
        }
        checker.combination = (!labels.is_empty()).then(|| format!("{{{}}}", labels.join(", ")));
        checker.check_graph(&steps);
        count += 1;
        // Next combination.
        let mut position = 0;
        loop {
            if position == swaps.len() {
                break 'combinations;
            }
            combination[position] += 1;
            if combination[position] < swaps[position].1.choices.len() {
                break;
            }
            combination[position] = 0;
            position += 1;
        }
        if count >= MAX_COMBINATIONS {
            checker.combination = None;
            let span = swaps.first().map_or(Span::at(0), |(_, s)| {
                s.choices.first().map_or(Span::at(0), |(_, st)| st.key_span)
            });
            checker.warning(
                Code::DioptraInvalidSwap,
                format!("only the first {MAX_COMBINATIONS} swap combinations were validated"),
                span,
            );
            break;
        }
    }
    checker.combination = None;
    if !swaps.is_empty() {
        checker.note_combinations(count);
    }
}

/// The `artifacts:` section: output name -> `{contents: $ref, task: {name, args?}}`.
fn check_artifacts(
    checker: &mut Checker<'_, '_>,
    artifacts: &YNode,
    graph: Option<&YNode>,
    _steps: &[String],
) {
    let entries = match &artifacts.value {
        YValue::Map(entries) => entries,
        YValue::Null => return,
        _ => {
            checker.report(
                Code::DioptraInvalidTaskGraph,
                format!(
                    "`artifacts` must map artifact output names to `{{contents, task}}`, not {}",
                    yaml_kind(artifacts)
                ),
                artifacts.span,
                None,
            );
            return;
        }
    };
    // A graph for reference resolution: steps parsed without reporting again.
    let mut quiet = Checker {
        input: checker.input,
        file: checker.file,
        tasks: checker.tasks.clone(),
        params: checker.params.clone(),
        param_types: HashMap::new(),
        artifacts: checker.artifacts.clone(),
        diagnostics: Vec::new(),
        seen: HashMap::new(),
        combination_hits: HashMap::new(),
        used_globals: BTreeSet::new(),
        missing_globals: BTreeSet::new(),
        used_tasks: BTreeSet::new(),
        combination: None,
    };
    let mut steps: Vec<Step<'_>> = Vec::new();
    if let Some(YValue::Map(graph_entries)) = graph.map(|g| &g.value) {
        for (key, def) in graph_entries {
            let Some(name) = key.as_str() else { continue };
            let swap = def.as_map().and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.as_str().is_some_and(|s| s.starts_with('?')))
            });
            let def = match swap {
                Some((_, choices)) => match choices.as_map().and_then(|c| {
                    c.iter()
                        .find(|(k, _)| !k.as_str().is_some_and(|s| s.starts_with('?')))
                }) {
                    Some((_, first)) => first,
                    None => continue,
                },
                None => def,
            };
            if let Some(step) = quiet.parse_step(name, key.span, def, &[], false) {
                steps.push(step);
            }
        }
    }
    let graph: HashMap<&str, &Step<'_>> = steps.iter().map(|s| (s.name.as_str(), s)).collect();
    for (key, value) in entries {
        let label = key.as_str().map_or_else(|| key.repr(), str::to_string);
        let Some(_) = value.as_map() else {
            checker.report(
                Code::DioptraInvalidTaskGraph,
                format!("artifact output \"{label}\" must be a mapping with `contents` and `task`, not {}", yaml_kind(value)),
                value.span,
                None,
            );
            continue;
        };
        match value.get("contents") {
            None => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!("artifact output \"{label}\" has no `contents`"),
                key.span,
                Some("write `contents: $step` or `contents: $step.output`".into()),
            ),
            Some(contents) if contents.as_str().is_none() => checker.report(
                Code::DioptraInvalidTaskGraph,
                format!(
                    "In experiment description location /artifact_outputs/{label}/contents: {} is not of type 'string'",
                    yaml_kind(contents)
                ),
                contents.span,
                Some("write `contents: $step` or `contents: $step.output`".into()),
            ),
            Some(contents) => {
                if let Some(text) = contents.as_str().filter(|s| is_reference(s)) {
                    let reference = Reference {
                        text: text[1..].to_string(),
                        span: contents.span,
                    };
                    checker.check_reference(
                        &format!("In artifact output \"{label}\": "),
                        &reference,
                        &graph,
                    );
                }
            }
        }
        for (k, _) in value.as_map().unwrap_or_default() {
            if !matches!(k.as_str(), Some("contents" | "task")) {
                checker.report(
                    Code::DioptraInvalidTaskGraph,
                    format!("artifact output \"{label}\": unknown property {}", k.repr()),
                    k.span,
                    Some("an artifact output has only `contents` and `task`".into()),
                );
            }
        }
        let task_name = match value.get("task") {
            None => {
                checker.report(
                    Code::DioptraInvalidTaskGraph,
                    format!("artifact output \"{label}\" has no `task`"),
                    key.span,
                    Some("write `task: {name: <artifact task>}`".into()),
                );
                continue;
            }
            Some(task) => match &task.value {
                YValue::Str(name) => Some((name.clone(), task.span)),
                YValue::Map(_) => match task.get("name") {
                    Some(name) if name.as_str().is_some() => {
                        if let Some(args) = task.get("args")
                            && !matches!(args.value, YValue::Map(_) | YValue::Seq(_) | YValue::Null)
                        {
                            checker.report(
                                Code::DioptraInvalidTaskGraph,
                                format!("artifact output \"{label}\": `args` must be a mapping or a list"),
                                args.span,
                                None,
                            );
                        }
                        Some((name.as_str().unwrap_or_default().to_string(), name.span))
                    }
                    _ => {
                        checker.report(
                            Code::DioptraInvalidTaskGraph,
                            format!("artifact output \"{label}\": `task` must have a `name` naming an artifact task"),
                            task.span,
                            None,
                        );
                        None
                    }
                },
                _ => {
                    checker.report(
                        Code::DioptraInvalidTaskGraph,
                        format!("artifact output \"{label}\": `task` must be a mapping `{{name, args}}`, not {}", yaml_kind(task)),
                        task.span,
                        None,
                    );
                    None
                }
            },
        };
        let Some((name, span)) = task_name else {
            continue;
        };
        match checker
            .input
            .artifact_tasks
            .iter()
            .rev()
            .find(|t| t.name == name)
        {
            Some(task) => {
                checker
                    .used_tasks
                    .insert((task.plugin.clone(), task.name.clone()));
            }
            None => {
                let help = if let Some(function) =
                    checker.input.function_tasks.iter().find(|t| t.name == name)
                {
                    format!(
                        "`{name}` is a function task of plugin `{}`, not an artifact task",
                        function.plugin
                    )
                } else if checker.input.artifact_tasks.is_empty() {
                    "the entrypoint's `artifact_plugins` provide no artifact tasks; list the plugin that defines it in `artifact_plugins`".into()
                } else {
                    let candidates: Vec<&str> = checker
                        .input
                        .artifact_tasks
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect();
                    match did_you_mean(&name, &candidates) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "the artifact tasks of the entrypoint's `artifact_plugins` are: {}",
                            candidates
                                .iter()
                                .map(|c| format!("`{c}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                };
                checker.report(
                    Code::DioptraNotAnArtifactTask,
                    format!(
                        "artifact output \"{label}\": `{name}` is not an artifact task of the entrypoint's `artifact_plugins` (Dioptra accepts this and fails when the job runs)"
                    ),
                    span,
                    Some(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: &str = r#"
[[plugin_param_types]]
name = "image"
[[plugin_param_types]]
name = "nums"
structure = { list = "number" }
[[plugin_param_types]]
name = "smap"
structure = { mapping = ["string", "number"] }
[[plugin_param_types]]
name = "imap"
structure = { mapping = ["integer", "string"] }
[[plugin_param_types]]
name = "pair"
structure = { tuple = ["integer", "string"] }
"#;

    fn task(
        plugin: &str,
        name: &str,
        inputs: &[(&str, &str, bool)],
        outputs: &[(&str, &str)],
    ) -> TaskSignature {
        TaskSignature {
            plugin: plugin.into(),
            name: name.into(),
            inputs: inputs
                .iter()
                .map(|(n, t, r)| TaskParameter {
                    name: n.to_string(),
                    type_name: t.to_string(),
                    required: *r,
                })
                .collect(),
            outputs: outputs
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    fn standard_tasks() -> Vec<TaskSignature> {
        vec![
            task(
                "p",
                "load",
                &[("path", "string", true)],
                &[("data", "image")],
            ),
            task(
                "p",
                "train",
                &[("data", "image", true), ("epochs", "integer", false)],
                &[("model", "string"), ("score", "number")],
            ),
            task("p", "noop", &[], &[]),
            task(
                "p",
                "scale",
                &[("values", "nums", true)],
                &[("out", "number")],
            ),
            task(
                "p",
                "cfg",
                &[
                    ("c", "smap", false),
                    ("m", "imap", false),
                    ("t", "pair", false),
                ],
                &[],
            ),
            task("p", "log", &[("value", "any", true)], &[]),
        ]
    }

    struct Case {
        params: Vec<(&'static str, &'static str, Option<&'static str>)>,
        artifact_params: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
        function_tasks: Vec<TaskSignature>,
        artifact_tasks: Vec<TaskSignature>,
    }

    impl Default for Case {
        fn default() -> Self {
            Case {
                params: Vec::new(),
                artifact_params: Vec::new(),
                function_tasks: standard_tasks(),
                artifact_tasks: vec![task("art", "save_model", &[], &[("path", "string")])],
            }
        }
    }

    fn run_case(case: Case, yaml: &str) -> GraphOutcome {
        let mut toml = String::from(
            "[[plugins]]\npath = \"plugins/p\"\ntasks.functions = [{ filename = \"sub/tasks.py\", name = \"load\", input_params = [], output_params = [] }]\n",
        );
        toml.push_str(TYPES);
        toml.push_str("[[entrypoints]]\nname = \"ep\"\npath = \"ep.yml\"\nplugins = [\"p\"]\n");
        for (name, kind, default) in &case.params {
            toml.push_str(&format!(
                "[[entrypoints.params]]\nname = \"{name}\"\ntype = \"{kind}\"\n"
            ));
            if let Some(default) = default {
                toml.push_str(&format!("default_value = '{default}'\n"));
            }
        }
        for (name, _) in &case.artifact_params {
            toml.push_str(&format!(
                "[[entrypoints.artifact_params]]\nname = \"{name}\"\noutput_params = []\n"
            ));
        }
        let toml_file = SourceFile::new("dioptra.toml".into(), "dioptra.toml".into(), toml);
        let document = crate::doc::parse_toml(&toml_file).expect("valid TOML");
        let (types, type_diags) = TypeRegistry::from_document(&document);
        assert!(type_diags.is_empty(), "{type_diags:?}");
        let yaml_file = SourceFile::new("ep.yml".into(), "ep.yml".into(), yaml.to_string());
        let input = EntrypointInput {
            toml: &document,
            entrypoint_pointer: "/entrypoints/0".into(),
            yaml: &yaml_file,
            params: case
                .params
                .iter()
                .map(|(n, k, d)| EntrypointParameter {
                    name: n.to_string(),
                    kind: k.to_string(),
                    default_value: d.map(str::to_string),
                })
                .collect(),
            artifact_params: case
                .artifact_params
                .iter()
                .map(|(n, o)| ArtifactParameter {
                    name: n.to_string(),
                    outputs: o
                        .iter()
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                        .collect(),
                })
                .collect(),
            function_tasks: case.function_tasks,
            artifact_tasks: case.artifact_tasks,
            types: &types,
        };
        check_entrypoint(&input)
    }

    fn run(yaml: &str) -> GraphOutcome {
        run_case(Case::default(), yaml)
    }

    fn codes(outcome: &GraphOutcome) -> Vec<Code> {
        outcome.diagnostics.iter().map(|d| d.code).collect()
    }

    fn errors(outcome: &GraphOutcome) -> Vec<String> {
        outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    }

    fn position(d: &Diagnostic) -> String {
        d.location
            .as_ref()
            .map(|l| l.to_short_string())
            .unwrap_or_default()
    }

    #[test]
    fn plain_scalars_resolve_like_pyyaml() {
        assert_eq!(resolve_plain("yes"), YValue::Bool(true));
        assert_eq!(resolve_plain("Off"), YValue::Bool(false));
        assert_eq!(resolve_plain("~"), YValue::Null);
        assert_eq!(resolve_plain(""), YValue::Null);
        assert_eq!(resolve_plain("1_000"), YValue::Int(1000));
        assert_eq!(resolve_plain("017"), YValue::Int(15));
        assert_eq!(resolve_plain("0x1f"), YValue::Int(31));
        assert_eq!(resolve_plain("-3"), YValue::Int(-3));
        assert_eq!(resolve_plain("1.5"), YValue::Float(1.5));
        assert_eq!(resolve_plain("1.5e+3"), YValue::Float(1500.0));
        assert_eq!(resolve_plain(".inf"), YValue::Float(f64::INFINITY));
        // YAML 1.1 floats need a dot: PyYAML reads `1e3` as a string.
        assert_eq!(resolve_plain("1e3"), YValue::Str("1e3".into()));
        assert_eq!(resolve_plain("$x"), YValue::Str("$x".into()));
        // PyYAML builds a date, whose inferred type is `any`.
        assert_eq!(
            resolve_plain("2001-12-14"),
            YValue::Timestamp("2001-12-14".into())
        );
        assert_eq!(
            resolve_plain("2001-12-14 21:59:43.10 -5"),
            YValue::Timestamp("2001-12-14 21:59:43.10 -5".into())
        );
    }

    #[test]
    fn yaml_with_spans_anchors_and_duplicate_keys() {
        let file = SourceFile::new(
            "a.yml".into(),
            "a.yml".into(),
            "graph:\n  s: &base\n    load: 'x'\n  t: *base\n  s: {load: \"y\"}\n  u: {<<: *base, dependencies: t}\nn: !!str 12\n"
                .into(),
        );
        let document = parse_yaml_document(&file).expect("valid YAML");
        assert_eq!(document.value["graph"]["s"]["load"], "y");
        assert_eq!(document.value["graph"]["t"]["load"], "x");
        assert_eq!(document.value["n"], "12");
        assert_eq!(
            document.value["graph"]["u"],
            json!({"load": "x", "dependencies": "t"})
        );
        // The repeated key keeps its first position.
        let keys: Vec<&String> = document.value["graph"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, vec!["s", "t", "u"]);
        let key = document.key_span("/graph/t");
        assert_eq!(file.line_col(key.start).line, 4);
        assert_eq!(file.line_col(key.start).column, 3);
    }

    #[test]
    fn yaml_syntax_error_has_position() {
        let outcome = run("graph:\n  a: [load\n  b: 1\n");
        assert_eq!(codes(&outcome), vec![Code::DioptraYamlSyntax]);
        assert!(position(&outcome.diagnostics[0]).starts_with("ep.yml:"));
        assert!(outcome.task_engine.is_none());
        let two = run("graph: {a: {noop: []}}\n---\ngraph: {}\n");
        assert_eq!(codes(&two), vec![Code::DioptraYamlSyntax]);
    }

    #[test]
    fn valid_graph_in_every_form() {
        let case = Case {
            params: vec![
                ("image_path", "string", Some("/data")),
                ("epochs", "integer", Some(" 1_0")),
                ("sizes", "list", Some("[28, 28.5]")),
            ],
            ..Case::default()
        };
        let outcome = run_case(
            case,
            r#"
graph:
  loaded:
    load: $image_path
  trained:
    train:
      data: $loaded
      epochs: $epochs
  scaled:
    task: scale
    args: [[1, 2.5, $trained.score]]
  scaled2:
    scale: $sizes
  literal:
    log: [["$$not_a_reference", {nested: [$trained.model]}]]
  done:
    task: noop
    dependencies: [literal, scaled]
  done2:
    noop: []
    dependencies: done
"#,
        );
        assert!(outcome.diagnostics.is_empty(), "{:?}", errors(&outcome));
        let engine = outcome.task_engine.expect("built");
        assert_eq!(
            engine["parameters"]["epochs"],
            json!({"default": 10, "type": "integer"})
        );
        assert_eq!(
            engine["parameters"]["sizes"],
            json!({"default": [28, 28.5]})
        );
        assert_eq!(engine["tasks"]["load"]["plugin"], "p.sub.tasks.load");
        assert_eq!(engine["tasks"]["load"]["outputs"], json!({"data": "image"}));
        assert_eq!(
            engine["tasks"]["train"]["outputs"],
            json!([{"model": "string"}, {"score": "number"}])
        );
        assert_eq!(engine["types"]["nums"], json!({"list": "number"}));
        assert_eq!(engine["types"]["image"], Value::Null);
        assert_eq!(engine["graph"]["loaded"], json!({"load": "$image_path"}));
        assert!(outcome.used_tasks.contains(&("p".into(), "train".into())));
        assert!(!outcome.used_tasks.contains(&("p".into(), "cfg".into())));
        assert!(outcome.used_types.contains("image") && outcome.used_types.contains("nums"));
        assert!(!outcome.used_types.contains("smap"));
    }

    #[test]
    fn top_level_shape() {
        assert_eq!(
            codes(&run("- a\n- b\n")),
            vec![Code::DioptraInvalidTaskGraph]
        );
        assert_eq!(codes(&run("")), vec![Code::DioptraInvalidTaskGraph]);
        assert_eq!(
            codes(&run("artifacts: {}\n")),
            vec![Code::DioptraInvalidTaskGraph]
        );
        assert_eq!(
            codes(&run("graph: {}\n")),
            vec![Code::DioptraInvalidTaskGraph]
        );
        assert_eq!(codes(&run("graph:\n")), vec![Code::DioptraInvalidTaskGraph]);
        assert_eq!(
            codes(&run("graph: [a]\n")),
            vec![Code::DioptraInvalidTaskGraph]
        );
        let warned = run("plugins: [p]\ngraph:\n  a: {noop: []}\n");
        assert_eq!(codes(&warned), vec![Code::DioptraInvalidTaskGraph]);
        assert_eq!(
            warned.diagnostics[0].severity,
            crate::diagnostics::Severity::Warning
        );
        assert_eq!(position(&warned.diagnostics[0]), "ep.yml:1:1");
    }

    #[test]
    fn bad_step_shapes_and_names() {
        let outcome = run(r#"
graph:
  two_tasks: {noop: [], load: [x]}
  scalar: 3
  long: {task: noop, extra: 1}
  "": {noop: []}
  dotted.name: {noop: []}
  1: {noop: []}
  only_deps: {dependencies: long}
  bad_args: {task: noop, args: 3}
  fine: {noop: []}
"#);
        let all = errors(&outcome);
        assert_eq!(all.len(), 8, "{all:#?}");
        assert!(
            all.iter()
                .all(|m| m.starts_with(Code::DioptraInvalidTaskGraph.as_str()))
        );
        assert!(all.iter().any(|m| {
            m.contains("illegal task invocation: A positional/keyword short form step definition")
        }));
        assert!(
            all.iter()
                .any(|m| m.contains("Graph step names must be strings: 1"))
        );
        assert!(
            all.iter()
                .any(|m| m.contains("Step name \"dotted.name\" contains a dot"))
        );
        assert!(all.iter().any(|m| m.contains("non-empty/whitespace: ''")));
        assert!(all.iter().any(|m| m.contains("unknown property 'extra'")));
    }

    #[test]
    fn unknown_task_with_hints() {
        let outcome = run("graph:\n  a: {trian: {data: 1}}\n  b: {save_model: []}\n");
        assert_eq!(
            codes(&outcome),
            vec![Code::DioptraUnknownTask, Code::DioptraUnknownTask]
        );
        assert_eq!(
            outcome.diagnostics[0].message,
            "In step \"a\": unrecognized task plugin: trian"
        );
        assert_eq!(
            outcome.diagnostics[0].help.as_deref(),
            Some("did you mean `train`?")
        );
        assert_eq!(position(&outcome.diagnostics[0]), "ep.yml:2:7");
        assert!(
            outcome.diagnostics[1]
                .help
                .as_deref()
                .unwrap()
                .contains("artifact task")
        );
    }

    #[test]
    fn invocation_checks() {
        let outcome = run(r#"
graph:
  a: {load: [x, y]}
  b: {load: {pth: x}}
  c: {task: train, args: [1], kwargs: {data: 2}}
  d: {train: {epochs: 3}}
"#);
        let all = errors(&outcome);
        assert!(all.contains(&"dioptra::invalid-invocation: In step \"a\": illegal task invocation: there are more positional args given than task parameters: 2 > 1".to_string()), "{all:#?}");
        assert!(all.contains(&"dioptra::invalid-invocation: In step \"b\": illegal task invocation: keyword arg does not correspond to a task parameter: pth".to_string()));
        assert!(all.contains(&"dioptra::missing-required-argument: In step \"b\": illegal task invocation: required task parameter is not assigned a value: path".to_string()));
        assert!(all.contains(&"dioptra::invalid-invocation: In step \"c\": illegal task invocation: task parameter \"data\" is assigned a value both as a keyword arg and positional arg #1".to_string()));
        assert!(all.contains(&"dioptra::missing-required-argument: In step \"d\": illegal task invocation: required task parameter is not assigned a value: data".to_string()));
        let b = outcome
            .diagnostics
            .iter()
            .find(|d| d.message.contains("pth"))
            .unwrap();
        assert_eq!(b.help.as_deref(), Some("did you mean `path`?"));
    }

    #[test]
    fn name_collision_with_parameter() {
        let case = Case {
            params: vec![("loaded", "string", Some("x"))],
            ..Case::default()
        };
        let outcome = run_case(case, "graph:\n  loaded: {load: $loaded}\n");
        assert!(codes(&outcome).contains(&Code::DioptraNameCollision));
        let d = outcome
            .diagnostics
            .iter()
            .find(|d| d.code == Code::DioptraNameCollision)
            .unwrap();
        assert_eq!(
            d.message,
            "Some parameters and steps have the same name: loaded"
        );
        assert_eq!(d.related.len(), 1);
    }

    #[test]
    fn reference_resolution() {
        let case = Case {
            params: vec![("p1", "string", Some("x"))],
            ..Case::default()
        };
        let outcome = run_case(
            case,
            r#"
graph:
  a: {load: $missing}
  b: {train: {data: $a.nope}}
  c: {log: $b}
  d: {log: $n}
  n: {noop: []}
  e: {log: $p1.x}
  f: {noop: [], dependencies: [zz]}
  g: {log: [{deep: $missing}]}
"#,
        );
        let all = errors(&outcome);
        for expected in [
            "dioptra::unresolvable-reference: In step \"a\": unresolvable reference: missing",
            "dioptra::missing-global-parameter: Global parameter 'missing' required by the task graph but not declared on entrypoint.",
            "dioptra::unresolvable-reference: In step \"b\": reference \"a.nope\": unrecognized output: nope",
            "dioptra::unresolvable-reference: In step \"c\": reference \"b\": an output name must be given if the task plugin produces more than one output.",
            "dioptra::unresolvable-reference: In step \"d\": reference \"n\": referenced step produces no output",
            "dioptra::unresolvable-reference: In step \"e\": reference \"p1.x\": references to parameters may not include an output name: x",
            "dioptra::unresolvable-reference: In step \"f\": unrecognized dependency step(s): zz",
            "dioptra::unresolvable-reference: In step \"g\": unresolvable reference: missing",
        ] {
            assert!(
                all.contains(&expected.to_string()),
                "missing {expected}\n{all:#?}"
            );
        }
        // Missing globals are reported once per name.
        assert_eq!(
            all.iter()
                .filter(|m| m.contains("missing-global-parameter"))
                .count(),
            1
        );
        let g = outcome
            .diagnostics
            .iter()
            .find(|d| d.message.starts_with("In step \"g\""))
            .unwrap();
        assert_eq!(position(g), "ep.yml:10:20");
    }

    #[test]
    fn step_cycles_with_path() {
        let outcome = run(r#"
graph:
  a: {load: $c}
  b: {train: {data: $a}}
  c: {load: $b.model}
  d: {noop: [], dependencies: d}
"#);
        let cycles: Vec<&Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::DioptraStepCycle)
            .collect();
        assert_eq!(cycles.len(), 2, "{:?}", errors(&outcome));
        assert_eq!(cycles[0].message, "Step cycle detected: a > c > b > a");
        assert_eq!(cycles[1].message, "Step cycle detected: d > d");
    }

    #[test]
    fn argument_types() {
        let case = Case {
            params: vec![
                ("s", "string", Some("x")),
                ("f", "float", Some("1.5")),
                ("cfg", "mapping", Some("{\"a\": 1, \"b\": 2.5}")),
            ],
            ..Case::default()
        };
        let outcome = run_case(
            case,
            r#"
graph:
  a: {load: 3}
  b: {train: {data: $s}}
  c: {train: {data: {load: x}, epochs: $f}}
  tuple_to_list: {scale: [[1, 2, 3.5]]}
  tuple_bad: {scale: [[1, "x"]]}
  int_keys: {cfg: {m: {1: a, 2: b}, c: $cfg, t: [1, "x"]}}
  int_keys_bad: {cfg: {m: {1: a, 2: 3}}}
  str_keys_bad: {cfg: {c: {a: x}}}
  any_ok: {log: [[1, {x: y}]]}
  literal: {load: "$$x"}
"#,
        );
        let all = errors(&outcome);
        let incompatible: Vec<&String> = all
            .iter()
            .filter(|m| m.contains("incompatible-argument"))
            .collect();
        assert_eq!(incompatible.len(), 7, "{all:#?}");
        assert!(all.contains(&"dioptra::incompatible-argument: in step \"a\": in positional parameter #1: Inferred invocation arg type and task plugin input type are incompatible. Found integer; expected string".to_string()));
        assert!(all.iter().any(
            |m| m.contains("in step \"b\": in keyword argument \"data\"")
                && m.contains("Found string; expected image")
        ));
        assert!(all.iter().any(
            |m| m.contains("in step \"c\": in keyword argument \"epochs\"")
                && m.contains("Found number; expected integer")
        ));
        assert!(all.iter().any(|m| m.contains("in step \"tuple_bad\"")
            && m.contains("Found tuple[integer, string]; expected nums")));
        assert!(all.iter().any(|m| m.contains("in step \"int_keys_bad\"")
            && m.contains("mapping[integer, union[string, integer]]")));
        assert!(all.iter().any(|m| m.contains("in step \"str_keys_bad\"")
            && m.contains("Found mapping{a: string}; expected smap")));
    }

    #[test]
    fn swaps_are_checked_and_every_combination_validated() {
        let outcome = run(r#"
graph:
  source:
    ?loader:
      ?outputs: [data]
      plain: {load: [x]}
      fancy: {task: load, kwargs: {path: y}}
  model:
    ?trainer:
      one: {train: {data: $source}}
      two: {train: {epochs: 1}}
"#);
        let all = errors(&outcome);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert!(all[0].contains("required task parameter is not assigned a value: data"));
        assert!(outcome.diagnostics[0].notes[0].contains("'trainer': 'two'"));
        assert!(outcome.used_tasks.contains(&("p".into(), "train".into())));

        let bad = run(r#"
graph:
  a:
    ?s:
      ?outputs: [x]
      one: {load: [x]}
      two: {noop: []}
      three: {nope: []}
  b:
    ?s:
      one: {noop: []}
  c:
    ?t:
      one: {noop: []}
    ?u:
      one: {noop: []}
"#);
        let all = errors(&bad);
        assert!(
            all.iter()
                .all(|m| m.starts_with(Code::DioptraInvalidSwap.as_str())),
            "{all:#?}"
        );
        assert!(all.iter().any(|m| {
            m.contains("In swap '?s', task with name 'nope' not found in registered tasks.")
        }));
        assert!(
            all.iter()
                .any(|m| m.contains("choice 'two' produces 0 output(s) but `?outputs` names 1"))
        );
        assert!(
            all.iter()
                .any(|m| m.contains("Swap '?s' contains mismatched output types: (), (image)"))
        );
        assert!(
            all.iter()
                .any(|m| m.contains("swap name '?s' is used by more than one step"))
        );
        assert!(all.iter().any(|m| m.contains("at most one swap")));
    }

    #[test]
    fn swap_notes_only_for_some_combinations() {
        let outcome = run(r#"
graph:
  s:
    ?pick:
      a: {load: [x]}
      b: {load: [3]}
  t: {log: $nowhere}
"#);
        let unresolved = outcome
            .diagnostics
            .iter()
            .find(|d| d.code == Code::DioptraUnresolvableReference)
            .expect("reported");
        assert!(unresolved.notes.is_empty(), "{:?}", unresolved.notes);
        let typed = outcome
            .diagnostics
            .iter()
            .find(|d| d.code == Code::DioptraIncompatibleArgument)
            .expect("reported");
        assert_eq!(
            typed.notes,
            vec!["in swap combination {'pick': 'b'} (of 2 combinations)".to_string()]
        );
    }

    #[test]
    fn dates_and_yaml11_booleans_infer_like_pyyaml() {
        let outcome =
            run("graph:\n  a: {load: 2024-01-31}\n  b: {load: yes}\n  c: {load: '2024-01-31'}\n");
        let all = errors(&outcome);
        assert_eq!(all.len(), 2, "{all:#?}");
        assert!(all[0].contains("Found any; expected string"));
        assert!(all[1].contains("Found boolean; expected string"));
    }

    #[test]
    fn artifacts_section() {
        let case = Case {
            artifact_params: vec![
                ("prev", vec![("path", "string")]),
                ("unused_art", vec![("x", "string")]),
            ],
            ..Case::default()
        };
        let outcome = run_case(
            case,
            r#"
graph:
  t: {train: {data: {x: $prev}}}
artifacts:
  saved:
    contents: $t.model
    task: {name: save_model}
  wrong:
    contents: $t.nothing
    task: {name: train}
  misspelled:
    contents: $t.model
    task: {name: save_modle}
"#,
        );
        let all: Vec<String> = outcome
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(all.contains(&"dioptra::unresolvable-reference: In artifact output \"wrong\": reference \"t.nothing\": unrecognized output: nothing".to_string()), "{all:#?}");
        let not_artifact: Vec<&Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::DioptraNotAnArtifactTask)
            .collect();
        assert_eq!(not_artifact.len(), 2);
        assert!(
            not_artifact[0]
                .help
                .as_deref()
                .unwrap()
                .contains("is a function task")
        );
        assert_eq!(
            not_artifact[1].help.as_deref(),
            Some("did you mean `save_model`?")
        );
        assert!(
            outcome
                .used_tasks
                .contains(&("art".into(), "save_model".into()))
        );
        // `prev` is used, `unused_art` is not.
        let unused: Vec<&Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::DioptraUnusedParameter)
            .collect();
        assert_eq!(unused.len(), 1);
        assert!(unused[0].message.contains("unused_art"));
        assert!(position(unused[0]).starts_with("dioptra.toml:"));
        let engine = outcome.task_engine.unwrap();
        assert_eq!(engine["artifact_inputs"]["prev"], json!({"path": "string"}));
        assert_eq!(engine["artifact_outputs"]["saved"]["contents"], "$t.model");
    }

    #[test]
    fn ambiguous_task_unused_and_dotted_parameters() {
        let mut tasks = standard_tasks();
        tasks.push(task(
            "q",
            "load",
            &[("path", "string", true)],
            &[("data", "image")],
        ));
        let case = Case {
            params: vec![
                ("used", "string", Some("x")),
                ("never", "integer", Some("1")),
                ("a.b", "string", Some("x")),
            ],
            function_tasks: tasks,
            ..Case::default()
        };
        let outcome = run_case(case, "graph:\n  l: {load: $used}\n");
        let ambiguous: Vec<&Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::DioptraAmbiguousTask)
            .collect();
        assert_eq!(ambiguous.len(), 1);
        assert!(ambiguous[0].message.contains("uses the one of `q`"));
        assert!(outcome.used_tasks.contains(&("q".into(), "load".into())));
        let unused: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::DioptraUnusedParameter)
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(unused.len(), 2, "{unused:?}");
        assert!(
            outcome
                .diagnostics
                .iter()
                .any(|d| d.code == Code::DioptraInvalidTaskGraph
                    && d.message.contains("Parameter name \"a.b\" contains a dot"))
        );
    }

    #[test]
    fn deeply_nested_yaml_does_not_crash() {
        let depth = 20_000;
        let yaml = format!(
            "graph:\n  a: {{log: {}{}}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let outcome = run(&yaml);
        // The parser's nesting limit turns it into a syntax error, not a stack overflow.
        assert_eq!(codes(&outcome), vec![Code::DioptraYamlSyntax]);
    }

    #[test]
    fn parameter_default_must_match_its_type() {
        let integer = SemType::builtin("integer");
        assert_eq!(
            default_mismatch("n", &integer, &json!("3")).as_deref(),
            Some(
                "In global parameter \"n\": default value '3' is incompatible with its declared type: integer"
            )
        );
        assert!(default_mismatch("n", &integer, &json!(3)).is_none());
        assert!(default_mismatch("x", &SemType::builtin("number"), &json!(3)).is_none());
        assert!(default_mismatch("b", &SemType::builtin("boolean"), &json!(null)).is_some());
    }

    #[test]
    fn default_coercion_follows_python() {
        assert_eq!(coerce_default("integer", " 42"), Some(json!(42)));
        assert_eq!(coerce_default("integer", "+3"), Some(json!(3)));
        assert_eq!(coerce_default("integer", "1_000"), Some(json!(1000)));
        assert_eq!(coerce_default("integer", "1.0"), None);
        assert_eq!(coerce_default("integer", "1__0"), None);
        assert_eq!(coerce_default("float", "1e3"), Some(json!(1000.0)));
        assert_eq!(coerce_default("float", "inf"), Some(json!("inf")));
        assert_eq!(coerce_default("boolean", "TRUE"), Some(json!(true)));
        assert_eq!(coerce_default("boolean", "yes"), None);
        assert_eq!(coerce_default("list", "[28, 28]"), Some(json!([28, 28])));
        assert_eq!(coerce_default("list", "{}"), None);
        assert_eq!(
            coerce_default("mapping", "{\"a\": 1}"),
            Some(json!({"a": 1}))
        );
    }
}
