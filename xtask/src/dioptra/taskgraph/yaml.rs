//! The YAML of an entrypoint read with positions: parser events become a
//! [`YNode`] tree with spans, plain scalars resolved by PyYAML's YAML 1.1 rules
//! (`SafeLoader`), merge keys applied, and a [`Document`] with spans by JSON
//! pointer for the rest of the crate.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

use crate::doc::{Document, NodeSpan, SyntaxError, pointer_child};
use crate::pyrepr::{float_repr, str_repr};
use crate::source::{SourceFile, Span};

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
            YValue::Float(f) => float_repr(*f),
            YValue::Str(s) => str_repr(s),
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
                .map_or_else(|| Value::String(float_repr(*f)), Value::Number),
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
    pub(super) fn key_string(&self) -> String {
        match &self.value {
            YValue::Str(s) => s.clone(),
            YValue::Null => "null".into(),
            YValue::Bool(b) => b.to_string(),
            YValue::Int(i) => i.to_string(),
            YValue::Float(f) => float_repr(*f),
            _ => self.repr(),
        }
    }
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

pub(super) fn yaml_kind(node: &YNode) -> &'static str {
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
