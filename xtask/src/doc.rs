//! Structured documents (JSON, TOML; YAML readers use the same shape) as a
//! `serde_json::Value` plus the span of every node, addressed by JSON pointer.
//! This lets one JSON Schema validator report every violation of any format at
//! the exact `line:col` of the offending key or value.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::schema_check::{ErrorKind, SchemaError, Validator};
use crate::source::{SourceFile, Span};

/// Where one node of a document is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeSpan {
    /// The key that names the node in its parent object, if any.
    pub key: Option<Span>,
    pub value: Span,
}

/// A parsed document: the value, and the spans of all its nodes.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: Arc<SourceFile>,
    pub value: Value,
    spans: HashMap<String, NodeSpan>,
}

impl Document {
    pub fn new(file: Arc<SourceFile>, value: Value, spans: HashMap<String, NodeSpan>) -> Self {
        Document { file, value, spans }
    }

    /// The span of a node's value. Falls back to the nearest ancestor.
    pub fn span(&self, pointer: &str) -> Span {
        self.node(pointer).value
    }

    /// The span of a node's key (or its value when it has no key).
    pub fn key_span(&self, pointer: &str) -> Span {
        let node = self.node(pointer);
        node.key.unwrap_or(node.value)
    }

    /// The spans of the node at `pointer`, or of its nearest ancestor that exists.
    pub fn node(&self, pointer: &str) -> NodeSpan {
        let mut pointer = pointer;
        loop {
            if let Some(node) = self.spans.get(pointer) {
                return *node;
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => return NodeSpan::default(),
            }
        }
    }

    pub fn has_node(&self, pointer: &str) -> bool {
        self.spans.contains_key(pointer)
    }

    pub fn get(&self, pointer: &str) -> Option<&Value> {
        // serde_json's `pointer` unescapes each segment into a new string
        // (two `replace`s): segments without `~` are looked up as they are.
        if pointer.contains('~') || !pointer.starts_with('/') {
            return self.value.pointer(pointer);
        }
        pointer[1..]
            .split('/')
            .try_fold(&self.value, |value, segment| match value {
                Value::Object(map) => map.get(segment),
                Value::Array(items) => {
                    // serde_json's index rule: digits only, no leading zero.
                    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1)
                    {
                        return None;
                    }
                    items.get(segment.parse::<usize>().ok()?)
                }
                _ => None,
            })
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/` + escaped `segment`.
pub fn pointer_child(base: &str, segment: &str) -> String {
    let mut pointer = String::with_capacity(base.len() + 1 + segment.len());
    pointer.push_str(base);
    pointer.push('/');
    if segment.contains(['~', '/']) {
        pointer.push_str(&escape_pointer_segment(segment));
    } else {
        pointer.push_str(segment);
    }
    pointer
}

/// A syntax error: a message and where it is.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

/// Parses JSON the way Python's `json.load` does (duplicate keys: the last value
/// wins at the first key's position), recording the span of every node.
pub fn parse_json(file: &Arc<SourceFile>) -> Result<Document, SyntaxError> {
    // About one node per `:` or `,`: the map of spans is made that large at
    // once instead of growing (and rehashing its keys) as it fills.
    let nodes = 1 + file
        .text
        .bytes()
        .filter(|b| matches!(b, b':' | b','))
        .count();
    let mut parser = JsonParser {
        source: &file.text,
        text: file.text.as_bytes(),
        pos: 0,
        spans: HashMap::with_capacity(nodes),
    };
    // Python's json.load of a text file refuses a byte order mark.
    if file.text.starts_with('\u{feff}') {
        return Err(SyntaxError {
            message: "Unexpected UTF-8 BOM (decode using utf-8-sig)".to_string(),
            span: Span::new(0, 3),
        });
    }
    parser.skip_ws();
    let value = parser.value(String::new(), None, 0)?;
    parser.skip_ws();
    if parser.pos < parser.text.len() {
        return Err(parser.error("Extra data"));
    }
    Ok(Document::new(Arc::clone(file), value, parser.spans))
}

struct JsonParser<'a> {
    source: &'a str,
    text: &'a [u8],
    pos: usize,
    spans: HashMap<String, NodeSpan>,
}

const MAX_DEPTH: usize = 512;

impl JsonParser<'_> {
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.to_string(),
            span: Span::new(self.pos, (self.pos + 1).min(self.text.len())),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(
        &mut self,
        pointer: String,
        key: Option<Span>,
        depth: usize,
    ) -> Result<Value, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        let start = self.pos;
        let value = match self.text.get(self.pos) {
            Some(b'{') => self.object(&pointer, depth)?,
            Some(b'[') => self.array(&pointer, depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ if self.eat_word("true") => Value::Bool(true),
            _ if self.eat_word("false") => Value::Bool(false),
            _ if self.eat_word("null") => Value::Null,
            _ if self.eat_word("NaN")
                || self.eat_word("Infinity")
                || self.eat_word("-Infinity") =>
            {
                self.pos = start;
                return Err(self.error("NaN and Infinity are not supported in JSON files here"));
            }
            _ => return Err(self.error("Expecting value")),
        };
        self.spans.insert(
            pointer,
            NodeSpan {
                key,
                value: Span::new(start, self.pos),
            },
        );
        Ok(value)
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.text[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn object(&mut self, pointer: &str, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut map = Map::new();
        self.skip_ws();
        if self.text.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.text.get(self.pos) != Some(&b'"') {
                return Err(self.error("Expecting property name enclosed in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.text.get(self.pos) != Some(&b':') {
                return Err(self.error("Expecting ':' delimiter"));
            }
            self.pos += 1;
            self.skip_ws();
            let child = pointer_child(pointer, &key);
            let value = self.value(child, Some(key_span), depth + 1)?;
            map.insert(key, value);
            self.skip_ws();
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.error("Expecting ',' delimiter")),
            }
            self.skip_ws();
            if self.text.get(self.pos) == Some(&b'}') {
                return Err(self.error("Illegal trailing comma before end of object"));
            }
        }
    }

    fn array(&mut self, pointer: &str, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.text.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let child = format!("{pointer}/{}", items.len());
            items.push(self.value(child, None, depth + 1)?);
            self.skip_ws();
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("Expecting ',' delimiter")),
            }
            self.skip_ws();
            if self.text.get(self.pos) == Some(&b']') {
                return Err(self.error("Illegal trailing comma before end of array"));
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&byte) = self.text.get(self.pos) else {
                self.pos = start;
                return Err(self.error("Unterminated string"));
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escape = self.text.get(self.pos).copied();
                    self.pos += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let first = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&first)
                                && self.text[self.pos..].starts_with(b"\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let second = self.hex4()?;
                                if (0xDC00..0xE000).contains(&second) {
                                    char::from_u32(
                                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00),
                                    )
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(first)
                            };
                            // Lone surrogates cannot be represented in Rust strings.
                            out.push(ch.unwrap_or('\u{fffd}'));
                        }
                        _ => {
                            self.pos -= 2;
                            return Err(self.error("Invalid \\escape"));
                        }
                    }
                }
                0x00..=0x1f => return Err(self.error("Invalid control character in string")),
                _ => {
                    // Copy the run of plain characters up to the next quote,
                    // escape or control character at once (linear time).
                    let run = self.text[self.pos..]
                        .iter()
                        .position(|b| matches!(b, b'"' | b'\\' | 0x00..=0x1f))
                        .map_or(self.text.len(), |n| self.pos + n);
                    out.push_str(&self.source[self.pos..run]);
                    self.pos = run;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match digits {
            Some(value) => {
                self.pos += 4;
                Ok(value)
            }
            None => Err(self.error("Invalid \\uXXXX escape")),
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let bytes = self.text;
        let mut pos = self.pos;
        if bytes.get(pos) == Some(&b'-') {
            pos += 1;
        }
        match bytes.get(pos) {
            Some(b'0') => pos += 1,
            Some(b'1'..=b'9') => {
                while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                    pos += 1;
                }
            }
            _ => return Err(self.error("Expecting value")),
        }
        let mut is_float = false;
        if bytes.get(pos) == Some(&b'.') && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit) {
            is_float = true;
            pos += 1;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            let mut exp = pos + 1;
            if matches!(bytes.get(exp), Some(b'+' | b'-')) {
                exp += 1;
            }
            if bytes.get(exp).is_some_and(u8::is_ascii_digit) {
                is_float = true;
                pos = exp;
                while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                    pos += 1;
                }
            }
        }
        let literal = std::str::from_utf8(&bytes[start..pos]).unwrap_or("0");
        self.pos = pos;
        let number = if is_float {
            literal.parse::<f64>().ok().and_then(Number::from_f64)
        } else if let Ok(int) = literal.parse::<i64>() {
            Some(Number::from(int))
        } else if let Ok(int) = literal.parse::<u64>() {
            Some(Number::from(int))
        } else {
            None
        };
        match number {
            Some(number) => Ok(Value::Number(number)),
            None => {
                self.pos = start;
                Err(self.error("number out of the supported range"))
            }
        }
    }
}

// ---------------------------------------------------------------------------
// TOML
// ---------------------------------------------------------------------------

/// Parses TOML, reporting every syntax error the parser recovers from.
pub fn parse_toml(file: &Arc<SourceFile>) -> Result<Document, Vec<SyntaxError>> {
    // Python's tomllib refuses a byte order mark ("Invalid statement").
    if file.text.starts_with('\u{feff}') {
        return Err(vec![SyntaxError {
            message: "Invalid statement (at line 1, column 1): a UTF-8 byte order mark is not TOML"
                .to_string(),
            span: Span::new(0, 3),
        }]);
    }
    let (root, errors) = toml::de::DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        let text_len = file.text.len();
        let mut errors: Vec<SyntaxError> = errors
            .into_iter()
            .map(|error| {
                let span = error.span().map_or(Span::at(text_len), |range| {
                    Span::new(range.start, range.end)
                });
                SyntaxError {
                    message: toml_error_message(&error),
                    span,
                }
            })
            .collect();
        errors.sort_by_key(|error| error.span);
        return Err(errors);
    }
    let mut spans = HashMap::new();
    let root_span = root.span();
    let table = root.into_inner();
    let value = convert_toml_table(&table, String::new(), &mut spans);
    spans.insert(
        String::new(),
        NodeSpan {
            key: None,
            value: Span::new(root_span.start, root_span.end),
        },
    );
    Ok(Document::new(Arc::clone(file), value, spans))
}

/// The first line of a TOML error message (the rest repeats the snippet).
fn toml_error_message(error: &toml::de::Error) -> String {
    error.message().trim().to_string()
}

fn convert_toml_table(
    table: &toml::de::DeTable<'_>,
    pointer: String,
    spans: &mut HashMap<String, NodeSpan>,
) -> Value {
    let mut map = Map::new();
    for (key, value) in table {
        let child = pointer_child(&pointer, key.get_ref());
        let key_span = key.span();
        let converted = convert_toml_value(
            value,
            child,
            Some(Span::new(key_span.start, key_span.end)),
            spans,
        );
        map.insert(key.get_ref().to_string(), converted);
    }
    Value::Object(map)
}

fn convert_toml_value(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    pointer: String,
    key: Option<Span>,
    spans: &mut HashMap<String, NodeSpan>,
) -> Value {
    use toml::de::DeValue;
    let span = value.span();
    let converted = match value.get_ref() {
        DeValue::String(text) => Value::String(text.to_string()),
        DeValue::Integer(int) => i64::from_str_radix(int.as_str(), int.radix())
            .map_or_else(|_| Value::String(int.as_str().to_string()), Value::from),
        DeValue::Float(float) => {
            let literal = float.as_str().replace('_', "");
            let parsed: Option<f64> = match literal.trim_start_matches(['+', '-']) {
                "inf" | "nan" => None,
                _ => literal.parse().ok(),
            };
            parsed
                .and_then(Number::from_f64)
                .map_or_else(|| Value::String(literal.clone()), Value::Number)
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(datetime) => Value::String(datetime.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| convert_toml_value(item, format!("{pointer}/{i}"), None, spans))
                .collect(),
        ),
        DeValue::Table(table) => convert_toml_table(table, pointer.clone(), spans),
    };
    spans.insert(
        pointer,
        NodeSpan {
            key,
            value: Span::new(span.start, span.end),
        },
    );
    converted
}

/// The TOML type name of a JSON value that came from TOML (for messages).
pub fn toml_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "table",
    }
}

// ---------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------

/// Validates the node at `base` (`""` for the whole document) against a compiled
/// schema and turns EVERY violation into a diagnostic at the offending node, with
/// Python `jsonschema`'s message. `code` is the diagnostic code to use; `context`
/// prefixes messages (e.g. "metadata.json").
pub fn schema_diagnostics(
    validator: &Validator,
    document: &Document,
    base: &str,
    code: Code,
    context: &str,
) -> Vec<Diagnostic> {
    let Some(instance) = document.value.pointer(base) else {
        return Vec::new();
    };
    validator
        .iter_errors(instance)
        .into_iter()
        .map(|error| {
            let pointer = format!("{base}{}", error.instance_path);
            let (pointer, on_key) = refine_pointer(&error, pointer);
            let span = if on_key {
                document.key_span(&pointer)
            } else {
                document.span(&pointer)
            };
            let location = if pointer.is_empty() {
                "the top level".to_string()
            } else {
                format!("`{}`", pointer_to_dotted(&pointer))
            };
            let mut message = error.message;
            if message.len() > 300 {
                message.truncate(message.floor_char_boundary(300));
                message.push_str("...");
            }
            Diagnostic::error(code, format!("{context}: {message}"))
                .at(&document.file, span)
                .with_label(format!("at {location}"))
        })
        .collect()
}

/// For "additional property" errors, point at the (first) offending key itself;
/// for "required" errors, at the key of the object missing it.
fn refine_pointer(error: &SchemaError, pointer: String) -> (String, bool) {
    match &error.kind {
        ErrorKind::AdditionalProperties { unexpected } => match unexpected.first() {
            Some(key) => (pointer_child(&pointer, key), true),
            None => (pointer, false),
        },
        ErrorKind::Required { .. } => (pointer, true),
        _ => (pointer, false),
    }
}

/// `/plugins/0/tasks` -> `plugins[0].tasks`.
pub fn pointer_to_dotted(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Document::get` finds what serde_json's `pointer` finds.
    #[test]
    fn pointers_are_looked_up_as_serde_json_does() {
        let file = SourceFile::new(
            "a.json".into(),
            "a.json".into(),
            r#"{"a": {"b/c": 1, "d~e": [10, 20, {"": 3}], "": {"x": 4}}, "0": [5], "n": null}"#
                .into(),
        );
        let document = parse_json(&file).unwrap();
        for pointer in [
            "",
            "/a",
            "/a/b~1c",
            "/a/d~0e",
            "/a/d~0e/1",
            "/a/d~0e/01",
            "/a/d~0e/+1",
            "/a/d~0e/2/",
            "/a/d~0e/3",
            "/a/d~0e/x",
            "/a//x",
            "/a/",
            "/0/0",
            "/0/-",
            "/n",
            "/n/x",
            "/missing",
            "a",
            "/a/b/c",
            "/a/d~0e/-1",
            "/a/d~0e/18446744073709551616",
        ] {
            assert_eq!(
                document.get(pointer),
                document.value.pointer(pointer),
                "{pointer:?}"
            );
        }
    }

    fn file(text: &str) -> Arc<SourceFile> {
        SourceFile::new("t".into(), "t".into(), text.into())
    }

    #[test]
    fn json_spans_point_at_values_and_keys() {
        let f = file("{\n  \"a\": [1, 2.5, {\"b\": null}],\n  \"c\": \"\\u00e9\"\n}");
        let doc = parse_json(&f).unwrap();
        assert_eq!(doc.value["c"], "é");
        assert_eq!(&f.text[doc.span("/a/1").range()], "2.5");
        assert_eq!(&f.text[doc.key_span("/a/2/b").range()], "\"b\"");
        assert_eq!(&f.text[doc.span("/a/2/b/missing").range()], "null");
        assert!(doc.value["a"][0].is_i64());
        assert!(doc.value["a"][1].is_f64());
    }

    #[test]
    fn json_errors_have_positions() {
        let f = file("{\n  \"a\": 1,\n  \"b\": \n");
        let err = parse_json(&f).unwrap_err();
        assert_eq!(err.message, "Expecting value");
        assert_eq!(f.line_col(err.span.start).line, 4);
        let err = parse_json(&file("{\"a\": 1,}")).unwrap_err();
        assert!(err.message.contains("trailing comma"), "{}", err.message);
        let err = parse_json(&file("{\"a\": 1} x")).unwrap_err();
        assert_eq!(err.message, "Extra data");
        assert_eq!(err.span.start, 9);
    }

    #[test]
    fn json_duplicate_keys_keep_first_position_last_value() {
        let doc = parse_json(&file("{\"a\": 1, \"b\": 2, \"a\": 3}")).unwrap();
        assert_eq!(
            serde_json::to_string(&doc.value).unwrap(),
            "{\"a\":3,\"b\":2}"
        );
    }

    #[test]
    fn toml_spans_and_errors() {
        let f = file("[repository]\nNAME = \"x\"\nN = 1_000\n");
        let doc = parse_toml(&f).unwrap();
        assert_eq!(doc.value["repository"]["N"], 1000);
        assert_eq!(&f.text[doc.key_span("/repository/NAME").range()], "NAME");
        assert_eq!(&f.text[doc.span("/repository/NAME").range()], "\"x\"");
        let f = file("[repository]\nNAME = \"x\nOTHER = = 2\n");
        let errors = parse_toml(&f).unwrap_err();
        assert!(!errors.is_empty());
        assert_eq!(f.line_col(errors[0].span.start).line, 2);
    }

    #[test]
    fn dotted_pointers() {
        assert_eq!(pointer_to_dotted("/plugins/0/tasks"), "plugins[0].tasks");
        assert_eq!(pointer_to_dotted(""), "");
    }
}
