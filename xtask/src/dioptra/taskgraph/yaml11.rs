//! PyYAML's implicit resolvers (YAML 1.1, `yaml/resolver.py`) for plain
//! scalars, as hand-written matchers of its regular expressions: each function
//! accepts exactly the texts its pattern (quoted above it) matches in full. A
//! plain scalar never ends with a line break, so Python's `$` (which also
//! matches before a final `\n`) and the end of the text agree.

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// Skips an optional `[-+]`.
fn unsigned(text: &[u8]) -> &[u8] {
    match text {
        [b'-' | b'+', rest @ ..] => rest,
        _ => text,
    }
}

/// Length of the longest prefix whose bytes all satisfy `allowed`.
fn run(text: &[u8], allowed: impl Fn(u8) -> bool) -> usize {
    text.iter().take_while(|b| allowed(**b)).count()
}

/// `[0-9][0-9_]*` in full.
fn digits_underscores(text: &[u8], first: impl Fn(u8) -> bool) -> bool {
    match text {
        [head, rest @ ..] => first(*head) && rest.iter().all(|b| is_digit(*b) || *b == b'_'),
        [] => false,
    }
}

/// `[0-5]?[0-9]`: one sexagesimal part after a `:`.
fn sexagesimal_part(part: &[u8]) -> bool {
    match part {
        [d] => is_digit(*d),
        [tens, d] => (b'0'..=b'5').contains(tens) && is_digit(*d),
        _ => false,
    }
}

/// `X(?::[0-5]?[0-9])+` in full, `X` checked by `head`.
fn sexagesimal(text: &[u8], head: impl Fn(&[u8]) -> bool) -> bool {
    let mut parts = text.split(|b| *b == b':');
    let first = parts.next().unwrap_or_default();
    let mut count = 0;
    for part in parts {
        if !sexagesimal_part(part) {
            return false;
        }
        count += 1;
    }
    count > 0 && head(first)
}

/// `^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`
pub fn is_bool(text: &str) -> bool {
    matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// `^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`
pub fn is_int(text: &str) -> bool {
    let body = unsigned(text.as_bytes());
    let all_nonempty =
        |rest: &[u8], allowed: fn(u8) -> bool| !rest.is_empty() && rest.iter().all(|b| allowed(*b));
    let non_zero = |b: u8| (b'1'..=b'9').contains(&b);
    if let Some(rest) = body.strip_prefix(b"0b") {
        return all_nonempty(rest, |b| matches!(b, b'0' | b'1' | b'_'));
    }
    if let Some(rest) = body.strip_prefix(b"0x") {
        return all_nonempty(rest, |b| b.is_ascii_hexdigit() || b == b'_');
    }
    if body == b"0" {
        return true;
    }
    if let Some(rest) = body.strip_prefix(b"0") {
        return all_nonempty(rest, |b| (b'0'..=b'7').contains(&b) || b == b'_');
    }
    digits_underscores(body, non_zero)
        || sexagesimal(body, |head| digits_underscores(head, non_zero))
}

/// `(?:[eE][-+][0-9]+)?` in full.
fn optional_exponent(text: &[u8]) -> bool {
    match text {
        [] => true,
        [b'e' | b'E', b'-' | b'+', digits @ ..] => {
            !digits.is_empty() && digits.iter().all(|b| is_digit(*b))
        }
        _ => false,
    }
}

/// `^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`
pub fn is_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let body = unsigned(bytes);
    let signed = body.len() != bytes.len();
    let digit_or_underscore = |b: u8| is_digit(b) || b == b'_';
    // [0-9][0-9_]*\.[0-9_]*(exponent)?
    let whole = run(body, digit_or_underscore);
    if whole > 0 && is_digit(body[0]) && body.get(whole) == Some(&b'.') {
        let rest = &body[whole + 1..];
        let fraction = run(rest, digit_or_underscore);
        if optional_exponent(&rest[fraction..]) {
            return true;
        }
    }
    // \.[0-9][0-9_]*(exponent)?, unsigned
    if !signed && let [b'.', first, rest @ ..] = body {
        let fraction = run(rest, digit_or_underscore);
        if is_digit(*first) && optional_exponent(&rest[fraction..]) {
            return true;
        }
    }
    // [0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    if let Some(point) = body.iter().position(|b| *b == b'.') {
        let (sexagesimal_text, fraction) = (&body[..point], &body[point + 1..]);
        if fraction.iter().all(|b| digit_or_underscore(*b))
            && sexagesimal(sexagesimal_text, |head| digits_underscores(head, is_digit))
        {
            return true;
        }
    }
    matches!(body, b".inf" | b".Inf" | b".INF")
        || (!signed && matches!(body, b".nan" | b".NaN" | b".NAN"))
}

/// `[0-9]{min,max}` greedily from `at`; the new position.
fn digits_at(bytes: &[u8], at: usize, min: usize, max: usize) -> Option<usize> {
    let count = run(&bytes[at.min(bytes.len())..], is_digit).min(max);
    (count >= min).then_some(at + count)
}

/// `^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`
pub fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let expect = |i: usize, byte: u8| (at(i) == Some(byte)).then_some(i + 1);
    let timestamp = || -> Option<usize> {
        // The year is exactly four digits: a fifth would be followed by no `-`.
        let mut i = digits_at(b, 0, 4, 4)?;
        i = expect(i, b'-')?;
        let month = i;
        i = digits_at(b, i, 1, 2)?;
        let month_len = i - month;
        i = expect(i, b'-')?;
        let day = i;
        i = digits_at(b, i, 1, 2)?;
        if i == b.len() {
            // The date alone needs two-digit month and day.
            return (month_len == 2 && i - day == 2).then_some(i);
        }
        match at(i)? {
            b'T' | b't' => i += 1,
            b' ' | b'\t' => i += run(&b[i..], |c| c == b' ' || c == b'\t'),
            _ => return None,
        }
        i = digits_at(b, i, 1, 2)?;
        i = expect(i, b':')?;
        i = digits_at(b, i, 2, 2)?;
        i = expect(i, b':')?;
        i = digits_at(b, i, 2, 2)?;
        if at(i) == Some(b'.') {
            i += 1 + run(&b[i + 1..], is_digit);
        }
        if i == b.len() {
            return Some(i);
        }
        i += run(&b[i..], |c| c == b' ' || c == b'\t');
        match at(i)? {
            b'Z' => i += 1,
            b'-' | b'+' => {
                i = digits_at(b, i + 1, 1, 2)?;
                if at(i) == Some(b':') {
                    i = digits_at(b, i + 1, 2, 2)?;
                }
            }
            _ => return None,
        }
        Some(i)
    };
    timestamp() == Some(b.len())
}

#[cfg(test)]
mod tests {
    //! Differential tests: each matcher against PyYAML's regular expression
    //! (the `regex` crate, a dev-dependency) over generated texts.
    use super::*;

    const BOOL: &str =
        r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$";
    const INT: &str = r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$";
    const FLOAT: &str = r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$";
    const TIMESTAMP: &str = r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$";

    /// Hand-picked edge cases.
    const SEEDS: &[&str] = &[
        "",
        "0",
        "00",
        "-0",
        "+0",
        "007",
        "08",
        "0_7",
        "0b",
        "0b0",
        "0b_",
        "0b2",
        "-0b1",
        "0x",
        "0x_",
        "0xfF",
        "+0xG",
        "1",
        "1_000",
        "_1",
        "1_",
        "-1",
        "+-1",
        "1:30",
        "1:3",
        "1:60",
        "1:59:59",
        "0:30",
        "-1:30",
        "1::30",
        "1:30:",
        "190:20:30",
        "1.0",
        "1.",
        ".5",
        "-.5",
        "+.5",
        "._5",
        "1e3",
        "1.0e3",
        "1.0e+3",
        "1.0E-3",
        "1.0e+",
        "1.e+3",
        ".5e+3",
        "1_0.0_1",
        "1:30.5",
        "1:30.",
        "-1:30.5",
        "1:30.5e+3",
        ".inf",
        "-.inf",
        "+.Inf",
        ".INF",
        ".iNf",
        ".nan",
        "-.nan",
        ".NaN",
        ".NAN",
        "nan",
        "inf",
        "yes",
        "Yes",
        "YES",
        "yEs",
        "y",
        "on",
        "ON",
        "oN",
        "off",
        "true",
        "tRue",
        "false",
        "FALSE",
        "no",
        "2001-12-14",
        "2001-1-14",
        "2001-12-1",
        "20011-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2001-12-14 21:59:43.10 ",
        "2001-12-14 21:59:43.10 Z",
        "2001-12-14\t\t2:59:43",
        "2001-12-14T2:59:43.",
        "2001-12-14T2:59:43.5+05",
        "2001-12-14T2:59:43.5+05:0",
        "2001-12-14T2:59:43.5+050",
        "2001-12-14T2:59:43Z ",
        "2001-1-1 1:00:00",
        "2001-1-1",
        "2001-12-14T21:59",
        "2001-12-14T21:5:43",
        "2002-12-14 21:59:43.10+123",
        "1:30\n",
        "0b1\n",
        "١٢",
        "1\u{0}",
    ];

    fn generated() -> Vec<String> {
        crate::schema_check::sample_texts(b"0123456789_-+.:eEbxXaAfFiInNTtZ \t", SEEDS, 20_000)
    }

    #[test]
    fn the_matchers_agree_with_pyyaml_regexes() {
        type Matcher = fn(&str) -> bool;
        let cases: [(&str, Matcher); 4] = [
            (BOOL, is_bool),
            (INT, is_int),
            (FLOAT, is_float),
            (TIMESTAMP, is_timestamp),
        ];
        let texts = generated();
        for (pattern, matcher) in cases {
            let regex = regex::Regex::new(pattern).unwrap();
            let mut matched = 0;
            for text in &texts {
                assert_eq!(
                    matcher(text),
                    regex.is_match(text),
                    "{text:?} against {pattern}"
                );
                matched += usize::from(regex.is_match(text));
            }
            // The generated texts exercise both answers.
            assert!(matched > 5, "{pattern}: {matched} matches");
        }
    }

    #[test]
    fn edge_cases() {
        assert!(is_int("0b1_0") && is_int("-0x_F") && is_int("+190:20:30") && is_int("0_7"));
        assert!(!is_int("08") && !is_int("1:60") && !is_int("0:30") && !is_int("1e3"));
        assert!(is_float("1.0e+3") && is_float("-1:30.5") && is_float("-.inf") && is_float("1."));
        assert!(!is_float("1e3") && !is_float("1.0e3") && !is_float("-.nan") && !is_float("-.5"));
        assert!(is_timestamp("2001-12-14") && is_timestamp("2001-12-14 21:59:43.10 -5"));
        assert!(is_timestamp("2001-1-1 1:00:00") && !is_timestamp("2001-1-1"));
        assert!(!is_timestamp("2001-12-14 21:59:43.10 ") && !is_timestamp("2001-12-14T21:59"));
        assert!(is_bool("Off") && !is_bool("oFF") && !is_bool("y"));
    }
}
