//! Python's value rules, once: `json.dump(obj, f, indent=4)` as the `.domino/`
//! files are written, `repr()` of floats, strings and JSON values for messages
//! that quote Python (`None is not of type 'string'`), and what Python's `int()`
//! and `float()` accept from a string.

use std::fmt::Write as _;

use serde_json::{Number, Value};

/// `json.dumps(value, indent=4)`: 4-space indent, `", "`/`": "` separators,
/// `ensure_ascii` escapes, Python float repr, no trailing newline.
pub fn dumps(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => out.push_str(&number_repr(number)),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Object(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

/// `json.dumps(value, indent=indent, sort_keys=sort_keys)` with the other arguments at
/// their defaults: without `indent`, `", "` and `": "` on one line; with it, items on
/// their own lines indented by `indent` spaces per level, `","` and `": "`.
pub fn dumps_with(value: &Value, indent: Option<usize>, sort_keys: bool) -> String {
    let mut out = String::new();
    write_with(&mut out, value, indent, sort_keys, 0);
    out
}

fn write_with(out: &mut String, value: &Value, indent: Option<usize>, sort: bool, depth: usize) {
    let open = |out: &mut String, depth: usize| {
        if let Some(width) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(width * depth));
        }
    };
    let separator = if indent.is_some() { "," } else { ", " };
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(separator);
                }
                open(out, depth + 1);
                write_with(out, item, indent, sort, depth + 1);
            }
            open(out, depth);
            out.push(']');
        }
        Value::Object(members) if !members.is_empty() => {
            let mut entries: Vec<(&String, &Value)> = members.iter().collect();
            if sort {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push_str(separator);
                }
                open(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_with(out, item, indent, sort, depth + 1);
            }
            open(out, depth);
            out.push('}');
        }
        other => write_value(out, other, depth),
    }
}

fn newline(out: &mut String, depth: usize) {
    /// A newline and the indentation of the first levels, sliced (deeper
    /// levels add four spaces at a time).
    const LINE: &str = "\n                                                                ";
    let width = 4 * depth;
    if width < LINE.len() {
        out.push_str(&LINE[..1 + width]);
    } else {
        out.push_str(LINE);
        for _ in 0..(width + 1 - LINE.len()).div_ceil(4) {
            out.push_str("    ");
        }
    }
}

/// The bytes `json.dumps` writes as they are: printable ASCII but `"` and `\`.
static PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut byte = b' ';
    while byte <= b'~' {
        plain[byte as usize] = byte != b'"' && byte != b'\\';
        byte += 1;
    }
    plain
};

/// A JSON string with Python's `ensure_ascii=True` escaping.
fn write_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut rest = text;
    while !rest.is_empty() {
        // Printable ASCII other than `"` and `\` is written as it is, a run at a time.
        let bytes = rest.as_bytes();
        let mut plain = 0;
        while plain < bytes.len() && PLAIN[usize::from(bytes[plain])] {
            plain += 1;
        }
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    out.push('"');
}

/// Integers as written; floats as Python's `float.__repr__` (`1.0`, `1e-05`,
/// `1e+16`, `0.0001`, `1.2345678901234568e+17`). A JSON number is always finite.
pub fn number_repr(number: &Number) -> String {
    match number.as_f64() {
        Some(float) if number.is_f64() => float_repr(float),
        _ => number.to_string(),
    }
}

/// Python's `repr()` of a float (`float.__repr__`, also what `json.dumps` writes
/// for a finite float): the shortest round-tripping digits, positional for
/// exponents -4..16 (`0.0001`, `1000000000000000.0`), scientific otherwise
/// (`1e-05`, `1e+16`, `1.2345678901234568e+17`); `inf`, `-inf`, `nan`.
pub fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the shortest round-tripping digits, like Python's repr.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("a decimal exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        format!("{sign}{text}")
    } else {
        let mantissa = if digits.len() == 1 {
            digits
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{mantissa}e{exponent_sign}{:02}",
            exponent.unsigned_abs()
        )
    }
}

/// Python's `repr()` of a JSON value (as `json.load` would produce it).
pub fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(number) => number_repr(number),
        Value::String(text) => str_repr(text),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text holds a single
/// quote and no double quote.
pub fn str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.strip()` whitespace, which `int()` and `float()` ignore around
/// the number.
fn python_trim(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// A run of ASCII digits with single underscores between digits.
fn digit_groups(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('_')
        && !text.ends_with('_')
        && !text.contains("__")
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// Python's `int(text)` on a string (base 10): the value as decimal text with its
/// sign (`" +1_000"` -> `"1000"`, `"-007"` -> `"-007"`), of any size; `None` where
/// Python raises `ValueError`.
pub fn python_int(text: &str) -> Option<String> {
    let text = python_trim(text);
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !digit_groups(digits) {
        return None;
    }
    let sign = if text.starts_with('-') { "-" } else { "" };
    Some(format!("{sign}{}", digits.replace('_', "")))
}

/// Python's `float(text)` on a string; `None` where Python raises `ValueError`.
pub fn python_float(text: &str) -> Option<f64> {
    let text = python_trim(text);
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    if matches!(
        body.to_ascii_lowercase().as_str(),
        "inf" | "infinity" | "nan"
    ) {
        return text.to_ascii_lowercase().parse().ok();
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(exponent) = exponent {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if !digit_groups(exponent) {
            return None;
        }
    }
    let valid = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (!whole.is_empty() || !fraction.is_empty())
                && (whole.is_empty() || digit_groups(whole))
                && (fraction.is_empty() || digit_groups(fraction))
        }
        None => digit_groups(mantissa),
    };
    if !valid {
        return None;
    }
    text.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `python3 -c 'import json; print(json.dumps("plain a\"b\\c\nd\te\u00e9\U0001F600\x7f\x01\x08\x0c\r~ end"))'`
    #[test]
    fn strings_are_escaped_like_python_json() {
        let text = "plain a\"b\\c\nd\te\u{e9}\u{1F600}\u{7f}\u{1}\u{8}\u{c}\r~ end";
        assert_eq!(
            dumps(&json!(text)),
            r#""plain a\"b\\c\nd\te\u00e9\ud83d\ude00\u007f\u0001\b\f\r~ end""#
        );
        assert_eq!(dumps(&json!("")), r#""""#);
        assert_eq!(dumps(&json!("\u{e9}")), r#""\u00e9""#);
    }

    /// `json.dumps(v, indent=4)` of a list nested 20 deep (deeper than the
    /// sliced indentation): each level 4 more spaces.
    #[test]
    fn deep_nesting_is_indented_four_spaces_a_level() {
        let mut value = json!({"a": 1});
        for _ in 0..20 {
            value = json!([value]);
        }
        let mut expected = String::new();
        for depth in 0..20 {
            expected.push_str(&format!("{}[\n", " ".repeat(4 * depth)));
        }
        expected.push_str(&format!(
            "{}{{\n{}\"a\": 1\n{}}}",
            " ".repeat(80),
            " ".repeat(84),
            " ".repeat(80)
        ));
        for depth in (0..20).rev() {
            expected.push_str(&format!("\n{}]", " ".repeat(4 * depth)));
        }
        assert_eq!(dumps(&value), expected);
    }

    #[test]
    fn floats_are_written_like_python_repr() {
        for (value, expected) in [
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (-2.5e-7, "-2.5e-07"),
            (3.25159, "3.25159"),
            (1e100, "1e+100"),
            (0.05, "0.05"),
            (-180.0, "-180.0"),
        ] {
            assert_eq!(float_repr(value), expected, "{value}");
        }
    }

    /// The taskgraph had its own float repr, which wrote Rust's positional
    /// `Display` outside -4..16 (`10000000000000000` for `1e16`). These are the
    /// values where it disagreed with Python:
    /// `python3 -c 'print(repr(1e16), repr(1e-5), repr(0.1), repr(1e22), repr(123456789012345678.0))'`
    /// prints `1e+16 1e-05 0.1 1e+22 1.2345678901234568e+17`.
    #[test]
    fn floats_outside_the_positional_range_are_scientific_like_python() {
        for (value, expected) in [
            (1e16, "1e+16"),
            (-1e16, "-1e+16"),
            (1e-5, "1e-05"),
            (0.1, "0.1"),
            (1e22, "1e+22"),
            (123_456_789_012_345_678.0, "1.2345678901234568e+17"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(float_repr(value), expected, "{value}");
        }
        assert_eq!(repr(&json!([1e16, 1e-5])), "[1e+16, 1e-05]");
    }

    #[test]
    fn python_int_and_float_values() {
        assert_eq!(python_int(" +1_000\n").as_deref(), Some("1000"));
        assert_eq!(python_int("-007").as_deref(), Some("-007"));
        assert_eq!(
            python_int("123456789012345678901234567890123456789012").as_deref(),
            Some("123456789012345678901234567890123456789012")
        );
        assert_eq!(python_int("1_"), None);
        assert_eq!(python_float(" 2.5E-3 "), Some(0.0025));
        assert_eq!(python_float("1_0.5"), Some(10.5));
        assert_eq!(python_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(python_float("nan").is_some_and(f64::is_nan));
        // Python: `float("1_e5")` and `float("+_5")` raise ValueError.
        assert_eq!(python_float("1_e5"), None);
        assert_eq!(python_float("1e_5"), None);
        assert_eq!(python_float("+_5"), None);
    }

    #[test]
    fn dumps_like_json_dump_indent_4() {
        let value = json!({"a": [1, 2.0, {}], "b": [], "é": "caf\u{e9} \u{1F600}\u{7f}/<>&", "c": null, "d": true});
        assert_eq!(
            dumps(&value),
            "{\n    \"a\": [\n        1,\n        2.0,\n        {}\n    ],\n    \"b\": [],\n    \"\\u00e9\": \"caf\\u00e9 \\ud83d\\ude00\\u007f/<>&\",\n    \"c\": null,\n    \"d\": true\n}"
        );
    }

    #[test]
    fn repr_quotes_like_python() {
        assert_eq!(repr(&json!(null)), "None");
        assert_eq!(repr(&json!("it's")), "\"it's\"");
        assert_eq!(repr(&json!(["a", 1, 1.5, true])), "['a', 1, 1.5, True]");
        assert_eq!(repr(&json!({"k": "v"})), "{'k': 'v'}");
        assert_eq!(str_repr("a\u{7f}\tb"), "'a\\x7f\\tb'");
    }
}
