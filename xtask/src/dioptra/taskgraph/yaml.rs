//! The YAML of an entrypoint read with positions: parser events become a
//! [`YNode`] tree with spans, plain scalars resolved by PyYAML's YAML 1.1 rules
//! (`SafeLoader`), merge keys applied, and a [`Document`] with spans by JSON
//! pointer for the rest of the crate.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use granit_parser::{ErrorKind, Event, Options, Parser, ScalarStyle};
use serde_json::Value;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{Document, NodeSpan, SyntaxError, pointer_child};
use crate::pyrepr::{float_repr, str_repr};
use crate::source::{SourceFile, Span};

use super::yaml11;

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

/// Resolves a plain scalar the way PyYAML's `SafeLoader` does (YAML 1.1 rules:
/// `yes`/`on` are booleans, `1e3` is a string, `0o17`... is a string, `017` is octal).
pub fn resolve_plain(text: &str) -> YValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return YValue::Null,
        _ => {}
    }
    if yaml11::is_bool(text) {
        return YValue::Bool(matches!(
            text.to_ascii_lowercase().as_str(),
            "yes" | "true" | "on"
        ));
    }
    if yaml11::is_int(text)
        && let Some(value) = parse_yaml11_int(text)
    {
        return YValue::Int(value);
    }
    if yaml11::is_float(text)
        && let Some(value) = parse_yaml11_float(text)
    {
        return YValue::Float(value);
    }
    if yaml11::is_timestamp(text) {
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

/// Mappings and sequences nested deeper than this are refused (`input::resource-limit`),
/// aliases included (an alias counts the levels of the node it copies). Real entrypoints
/// nest a handful of levels; the parser's own default limits refused 256 flow levels
/// already; PyYAML 6 (Python's default recursion limit) gives up a little below 500
/// levels with a `RecursionError`. At 256 levels the recursions over the tree (the
/// checks, `repr`, the task-engine JSON, `Drop`) need about 700 KiB of stack in a debug
/// build, well within the 2 MiB of a worker thread.
pub const MAX_DEPTH: usize = 256;

/// The nodes a document may materialize beyond one per byte of its text. Every node
/// counts: those of the text, the copy kept for an anchor, the copy an alias makes. A
/// document without aliases makes about one node per byte at most, so it is never
/// refused; aliases may add this many nodes (a few MB) and no more, so a "billion
/// laughs" (nine levels of nine aliases, 3.8 GB) stops after 100,000 copies, before
/// memory grows. Real entrypoints are a few hundred nodes.
pub const NODE_BUDGET: usize = 100_000;

/// Why a YAML file was not read.
#[derive(Clone, Debug)]
pub enum YamlError {
    /// Not YAML, or more than one document.
    Syntax(SyntaxError),
    /// Beyond a bound of the reader: nesting ([`MAX_DEPTH`]) or alias expansion
    /// ([`NODE_BUDGET`]).
    ResourceLimit(SyntaxError),
}

impl YamlError {
    pub fn error(&self) -> &SyntaxError {
        match self {
            YamlError::Syntax(error) | YamlError::ResourceLimit(error) => error,
        }
    }

    /// `dioptra::yaml-syntax` or `input::resource-limit`, at the error's position.
    pub fn diagnostic(&self, file: &Arc<SourceFile>) -> Diagnostic {
        let (code, message) = match self {
            YamlError::Syntax(error) => (
                Code::DioptraYamlSyntax,
                format!("invalid YAML: {}", error.message),
            ),
            YamlError::ResourceLimit(error) => (Code::InputResourceLimit, error.message.clone()),
        };
        Diagnostic::error(code, message).at(file, self.error().span)
    }
}

fn depth_error(span: Span) -> YamlError {
    YamlError::ResourceLimit(SyntaxError {
        message: format!(
            "YAML nested more than {MAX_DEPTH} levels deep (mappings and sequences, aliases included)"
        ),
        span,
    })
}

/// The entries of a mapping, with an index by key: a repeated key replaces the value
/// in place (its first key node stays) in constant time, not by a search of the entries.
#[derive(Default)]
struct Entries {
    entries: Vec<(YNode, YNode)>,
    /// Key hash -> indexes in `entries`.
    index: HashMap<u64, Vec<usize>>,
}

impl Entries {
    fn insert(&mut self, key: YNode, value: YNode) {
        let mut hasher = std::hash::DefaultHasher::new();
        hash_value(&key.value, &mut hasher);
        let bucket = self.index.entry(hasher.finish()).or_default();
        match bucket
            .iter()
            .find(|&&i| self.entries[i].0.value == key.value)
        {
            Some(&i) => self.entries[i].1 = value,
            None => {
                bucket.push(self.entries.len());
                self.entries.push((key, value));
            }
        }
    }
}

/// A hash consistent with `YValue`'s equality: equal values hash alike (`0.0` and
/// `-0.0` too; a NaN equals nothing, so its hash does not matter).
fn hash_value(value: &YValue, state: &mut impl Hasher) {
    std::mem::discriminant(value).hash(state);
    match value {
        YValue::Null => {}
        YValue::Bool(b) => b.hash(state),
        YValue::Int(i) => i.hash(state),
        YValue::Float(f) => (if *f == 0.0 { 0.0f64 } else { *f }).to_bits().hash(state),
        YValue::Str(s) | YValue::Timestamp(s) => s.hash(state),
        YValue::Seq(items) => {
            items.len().hash(state);
            items.iter().for_each(|i| hash_value(&i.value, state));
        }
        YValue::Map(entries) => {
            entries.len().hash(state);
            for (k, v) in entries {
                hash_value(&k.value, state);
                hash_value(&v.value, state);
            }
        }
    }
}

/// The nodes of a tree and its levels of collections (a scalar has none).
fn measure(node: &YNode) -> (usize, usize) {
    fn collection<'n>(children: impl Iterator<Item = &'n YNode>) -> (usize, usize) {
        children.fold((1, 1), |(size, height), child| {
            let (s, h) = measure(child);
            (size + s, height.max(h + 1))
        })
    }
    match &node.value {
        YValue::Seq(items) => collection(items.iter()),
        YValue::Map(entries) => collection(entries.iter().flat_map(|(k, v)| [k, v])),
        _ => (1, 0),
    }
}

/// A node with an anchor, kept for its aliases, with its [`measure`].
struct Anchored {
    node: YNode,
    size: usize,
    height: usize,
}

enum Frame {
    Seq(Vec<YNode>, usize, usize),
    Map(Entries, Option<YNode>, usize, usize),
}

/// The tree under construction, within [`MAX_DEPTH`] and the node budget.
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    root: Option<YNode>,
    /// Nodes materialized so far, and how many may be.
    nodes: usize,
    budget: usize,
}

impl Builder {
    /// Counts `count` new nodes, refused past the budget.
    fn spend(&mut self, count: usize, span: Span) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(count);
        if self.nodes <= self.budget {
            return Ok(());
        }
        Err(YamlError::ResourceLimit(SyntaxError {
            message: format!(
                "YAML aliases expand beyond {} nodes (an alias copies the node it names, so nested aliases multiply; the budget is {NODE_BUDGET} nodes plus one per byte of the file)",
                self.budget
            ),
            span,
        }))
    }

    /// A collection starts: one level deeper.
    fn open(&mut self, frame: Frame, span: Span) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(depth_error(span));
        }
        self.spend(1, span)?;
        self.stack.push(frame);
        Ok(())
    }

    /// A copy of an anchored node, within the depth and the budget.
    fn alias(&mut self, id: usize, span: Span) -> Result<(), YamlError> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(YamlError::Syntax(SyntaxError {
                message: "found undefined alias".into(),
                span,
            }));
        };
        if self.stack.len() + anchored.height > MAX_DEPTH {
            return Err(depth_error(span));
        }
        let size = anchored.size;
        self.spend(size, span)?;
        let mut node = self.anchors[&id].node.clone();
        node.span = span;
        self.attach(node, 0)
    }

    /// Completes a node: keeps a copy for its anchor and attaches it to its parent.
    fn attach(&mut self, node: YNode, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            let (size, height) = measure(&node);
            self.spend(size, node.span)?;
            let copy = node.clone();
            self.anchors.insert(
                anchor,
                Anchored {
                    node: copy,
                    size,
                    height,
                },
            );
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(items, _, _)) => items.push(node),
            Some(Frame::Map(entries, pending, _, _)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.insert(key, node),
            },
        }
        Ok(())
    }
}

/// Parses a YAML file into a node tree. `Ok(None)` for an empty document.
pub fn parse_yaml(file: &Arc<SourceFile>) -> Result<Option<YNode>, YamlError> {
    let text = file.text.as_str();
    let span_of = |span: &granit_parser::Span| -> Span {
        match span.byte_range() {
            Some(range) => Span::new(range.start, range.end),
            None => {
                let start = file.offset_of(span.start.line(), span.start.col() + 1);
                let end = file.offset_of(span.end.line(), span.end.col() + 1);
                Span::new(start, end.max(start))
            }
        }
    };
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        nodes: 0,
        budget: NODE_BUDGET.saturating_add(text.len()),
    };
    let mut documents = 0;
    // The parser's own nesting limits (255 flow, 255 block by default) are raised above
    // `MAX_DEPTH` and above how far its scanner reads ahead of the events (up to 1024
    // characters for a simple key), so the depth is refused here, at the node that
    // exceeds it, with one message; they still bound the scanner (a few KB of state).
    let mut options = Options::default();
    options.flow_nesting_limit = 4 * (MAX_DEPTH + options.simple_key_max_lookahead);
    options.block_nesting_limit = options.flow_nesting_limit;
    let mut parser = Parser::new_from_str_with_options(text, options);
    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(error) => {
                let marker = error.marker();
                let offset = marker
                    .byte_offset()
                    .unwrap_or_else(|| file.offset_of(marker.line(), marker.col() + 1));
                let span = Span::new(offset, offset);
                if matches!(error.kind(), ErrorKind::RecursionLimitExceeded) {
                    return Err(depth_error(span));
                }
                return Err(YamlError::Syntax(SyntaxError {
                    message: error.info().to_string(),
                    span,
                }));
            }
        };
        let here = span_of(&span);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::Syntax(SyntaxError {
                        message:
                            "expected a single document in the stream, but found another document"
                                .into(),
                        span: here,
                    }));
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
                builder.spend(1, here)?;
                builder.attach(YNode { value, span: here }, anchor)?;
            }
            Event::SequenceStart(_, anchor, _) => {
                builder.open(Frame::Seq(Vec::new(), here.start, anchor), here)?;
            }
            Event::MappingStart(_, anchor, _) => {
                builder.open(
                    Frame::Map(Entries::default(), None, here.start, anchor),
                    here,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, start, anchor) = match builder.stack.pop() {
                    Some(Frame::Seq(items, start, anchor)) => (YValue::Seq(items), start, anchor),
                    Some(Frame::Map(entries, _, start, anchor)) => (
                        YValue::Map(apply_merge_keys(entries.entries)),
                        start,
                        anchor,
                    ),
                    None => continue,
                };
                let end = here.end.max(start);
                let node = YNode {
                    value,
                    span: Span::new(start, end),
                };
                builder.attach(node, anchor)?;
            }
            Event::Alias(id) => builder.alias(id, here)?,
            _ => {}
        }
    }
    Ok(builder.root)
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
        match value.value {
            YValue::Map(merged) => sources.extend(merged),
            YValue::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => {
                for item in items.into_iter().rev() {
                    if let YValue::Map(merged) = item.value {
                        sources.extend(merged);
                    }
                }
            }
            other => own.push((
                key,
                YNode {
                    value: other,
                    span: value.span,
                },
            )),
        }
    }
    let mut out = Entries::default();
    for (key, value) in sources.into_iter().chain(own) {
        out.insert(key, value);
    }
    out.entries
}

/// Parses a YAML file into a [`Document`] (keys as strings, spans by JSON pointer).
pub fn parse_yaml_document(file: &Arc<SourceFile>) -> Result<Document, YamlError> {
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
