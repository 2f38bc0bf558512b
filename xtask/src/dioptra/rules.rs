//! The pure rules of Dioptra 1.2's resource import: safe relative paths, name
//! patterns, plugin file names, and the coercion of entrypoint parameter
//! defaults (Python `int()`, `float()`, `json.loads`).

use super::types::is_builtin;
use crate::pyrepr;

/// Entrypoint parameter types.
pub const ENTRYPOINT_PARAM_TYPES: [&str; 6] =
    ["string", "float", "integer", "boolean", "list", "mapping"];

/// The components of a path as Python's `PurePosixPath(name).parts` gives them
/// for a relative path (empty and `.` components dropped), or why Dioptra's
/// `relative_import_path` rejects it.
pub fn safe_relative_parts(name: &str) -> Result<Vec<&str>, String> {
    if name.is_empty() {
        return Err("the path is empty".into());
    }
    if name.starts_with('/') {
        return Err("the path is absolute".into());
    }
    if name.contains('\\') {
        return Err("the path contains a backslash (`\\`)".into());
    }
    if name.contains(':') {
        return Err("the path contains a colon (`:`)".into());
    }
    if name.chars().any(|c| (c as u32) < 32 || c as u32 == 127) {
        return Err("the path contains a control character".into());
    }
    let parts: Vec<&str> = name
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    for part in &parts {
        if part.eq_ignore_ascii_case(".git") {
            return Err("the path has a `.git` component".into());
        }
        if is_windows_reserved(part) {
            return Err(format!("`{part}` is a name reserved on Windows"));
        }
    }
    Ok(parts)
}

/// Python 3.11's `PureWindowsPath(part).is_reserved()`.
pub fn is_windows_reserved(part: &str) -> bool {
    let name = part.split('.').next().unwrap_or("");
    let name = name.split(':').next().unwrap_or("").trim_end_matches(' ');
    let upper = name.to_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT")
        && rest.len() == 1
        && matches!(rest[0], '1'..='9' | '\u{b9}' | '\u{b2}' | '\u{b3}')
}

/// Joins `parts` to the folder `base` (components relative to the repository
/// root), resolving `..` lexically. `None` when the path leaves the root.
pub fn join_inside(base: &[String], parts: &[&str]) -> Option<Vec<String>> {
    let mut out: Vec<String> = base.to_vec();
    for part in parts {
        if *part == ".." {
            out.pop()?;
        } else {
            out.push((*part).to_string());
        }
    }
    Some(out)
}

/// Python's `PurePath(path).stem`.
pub fn python_stem(path: &str) -> String {
    let name = path
        .split('/')
        .rfind(|part| !part.is_empty() && *part != ".")
        .unwrap_or("");
    if name == ".." {
        return name.to_string();
    }
    match name.rfind('.') {
        Some(i) if i > 0 && i < name.len() - 1 => name[..i].to_string(),
        _ => name.to_string(),
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `[A-Za-z_][A-Za-z0-9_]*` (`letter_first`: `[A-Za-z][A-Za-z0-9_]*`).
fn is_identifier(text: &str, letter_first: bool) -> bool {
    match text.as_bytes() {
        [first, rest @ ..] => {
            (first.is_ascii_alphabetic() || (!letter_first && *first == b'_'))
                && rest.iter().all(|b| is_word_byte(*b))
        }
        [] => false,
    }
}

/// Dioptra 1.2's `ALLOWED_PLUGIN_NAME_REGEX`
/// (`^([A-Za-z]|[A-Za-z_][A-Za-z0-9_]+)$`: a lone `_` is refused).
pub fn is_valid_plugin_name(name: &str) -> bool {
    is_identifier(name, false) && name != "_"
}

/// Dioptra 1.2's `ALLOWED_RESOURCE_NAME_REGEX` (types, entrypoints:
/// `^[A-Za-z0-9_. -]+$`), not only spaces.
pub fn is_valid_resource_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| is_word_byte(b) || matches!(b, b'.' | b' ' | b'-'))
        && !name.chars().all(|c| c == ' ')
}

/// Dioptra's `ALLOWED_PLUGIN_FILENAME_REGEX`
/// (`^(?!.*/_)(?!_/)([a-zA-Z][a-zA-Z0-9_]*/)*[a-zA-Z_][a-zA-Z0-9_]*\.py$`).
pub fn is_valid_plugin_filename(name: &str) -> bool {
    if name.contains("/_") || name.starts_with("_/") {
        return false;
    }
    let (folders, file) = match name.rsplit_once('/') {
        Some((folders, file)) => (Some(folders), file),
        None => (None, name),
    };
    file.strip_suffix(".py")
        .is_some_and(|stem| is_identifier(stem, false))
        && folders.is_none_or(|folders| folders.split('/').all(|f| is_identifier(f, true)))
}

/// Does a type name collide with a builtin (`name.strip().lower()`)?
pub fn is_builtin_type_name(name: &str) -> bool {
    is_builtin(&name.trim().to_lowercase())
}

/// Would Python's `int()` accept the text?
pub fn python_int(text: &str) -> bool {
    pyrepr::python_int(text).is_some()
}

/// Would Python's `float()` accept the text?
pub fn python_float(text: &str) -> bool {
    pyrepr::python_float(text).is_some()
}

/// Python's `json.loads` (without its NaN/Infinity extension).
pub fn python_json(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

/// Why a string default does not coerce to the entrypoint parameter type, if it
/// does not (Dioptra's `coerce_to_type`).
pub fn default_problem(kind: &str, default: &str) -> Option<String> {
    match kind {
        "string" => None,
        "boolean" => (!matches!(default.to_lowercase().as_str(), "true" | "false"))
            .then(|| "a boolean default must be `true` or `false` (any case)".to_string()),
        "integer" => {
            (!python_int(default)).then(|| "Python's `int()` does not accept it".to_string())
        }
        "float" => {
            (!python_float(default)).then(|| "Python's `float()` does not accept it".to_string())
        }
        "list" => match python_json(default) {
            Some(serde_json::Value::Array(_)) => None,
            Some(_) => Some("it is JSON but not a JSON list".into()),
            None => Some("it is not valid JSON".into()),
        },
        "mapping" => match python_json(default) {
            Some(serde_json::Value::Object(_)) => None,
            Some(_) => Some("it is JSON but not a JSON object (mapping)".into()),
            None => Some("it is not valid JSON".into()),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_matchers_agree_with_dioptras_regexes() {
        let seeds = [
            "",
            "a",
            "_",
            "_a",
            "a_",
            "1",
            "a1",
            "1a",
            "ab",
            "Ab_9",
            "my-plugin",
            "a b",
            "é",
            "a.py",
            "_a.py",
            "a/b.py",
            "a/_b.py",
            "_a/b.py",
            "1a/b.py",
            "a1/b_2.py",
            "a//b.py",
            "/a.py",
            "a/.py",
            "a/b.py/",
            "a.b.py",
            "a/b/c.py",
            "a/b.pyc",
            ".py",
            "a/b.PY",
            "My type 1.0",
            " ",
            "  ",
            "a-b.c d",
            "a\n",
            "a/b\n.py",
        ];
        let texts = crate::schema_check::sample_texts(b"aZ_9./ -\npy", &seeds, 20_000);
        // The previous definitions, with the `regex` crate.
        let name = regex::Regex::new(r"\A(?:[A-Za-z]|[A-Za-z_][A-Za-z0-9_]+)\z").unwrap();
        let resource = regex::Regex::new(r"\A[A-Za-z0-9_. -]+\z").unwrap();
        let file =
            regex::Regex::new(r"\A([a-zA-Z][a-zA-Z0-9_]*/)*[a-zA-Z_][a-zA-Z0-9_]*\.py\z").unwrap();
        let mut matched = [0; 3];
        for text in &texts {
            let expected = [
                name.is_match(text),
                resource.is_match(text) && !text.chars().all(|c| c == ' '),
                !text.contains("/_") && !text.starts_with("_/") && file.is_match(text),
            ];
            let found = [
                is_valid_plugin_name(text),
                is_valid_resource_name(text),
                is_valid_plugin_filename(text),
            ];
            assert_eq!(found, expected, "{text:?}");
            for (count, yes) in matched.iter_mut().zip(expected) {
                *count += usize::from(yes);
            }
        }
        assert!(matched.iter().all(|n| *n > 20), "{matched:?}");
    }

    #[test]
    fn paths_follow_dioptra_1_2() {
        assert_eq!(
            safe_relative_parts("plugins/./a/").unwrap(),
            ["plugins", "a"]
        );
        assert_eq!(safe_relative_parts("../x").unwrap(), ["..", "x"]);
        for bad in [
            "",
            "/abs",
            "a\\b",
            "c:/x",
            "a\u{7}b",
            "x/.GIT/y",
            "con",
            "plugins/NUL.py",
            "lpt3",
            "com\u{b9}",
        ] {
            assert!(safe_relative_parts(bad).is_err(), "{bad:?}");
        }
        assert!(safe_relative_parts("console/com10/lpt").is_ok());
        let base = vec!["extra".to_string()];
        assert_eq!(
            join_inside(&base, &["..", "plugins", "a"]).unwrap(),
            ["plugins", "a"]
        );
        assert!(join_inside(&base, &["..", ".."]).is_none());
    }

    #[test]
    fn stems_match_python() {
        assert_eq!(python_stem("plugins/foo/"), "foo");
        assert_eq!(python_stem("a.b.c"), "a.b");
        assert_eq!(python_stem(".hidden"), ".hidden");
        assert_eq!(python_stem("x."), "x.");
        assert_eq!(python_stem("plugins/foo.bar"), "foo");
        assert_eq!(python_stem("."), "");
    }

    #[test]
    fn names() {
        assert!(is_valid_plugin_name("a"));
        assert!(is_valid_plugin_name("_ab1"));
        assert!(!is_valid_plugin_name("_"));
        assert!(!is_valid_plugin_name("1abc"));
        assert!(!is_valid_plugin_name("my-plugin"));
        assert!(is_valid_resource_name("My type 1.0"));
        assert!(!is_valid_resource_name("   "));
        assert!(!is_valid_resource_name("a:b"));
        assert!(!is_valid_resource_name("f(x)"));
        assert!(is_valid_plugin_filename("tasks.py"));
        assert!(is_valid_plugin_filename("__init__.py"));
        assert!(is_valid_plugin_filename("sub/mod.py"));
        assert!(!is_valid_plugin_filename("sub/__init__.py"));
        assert!(!is_valid_plugin_filename("tasks-v2.py"));
        assert!(!is_valid_plugin_filename("_/x.py"));
        assert!(!is_valid_plugin_filename("1sub/x.py"));
        assert!(is_builtin_type_name(" Integer "));
        assert!(!is_builtin_type_name("integers"));
    }

    #[test]
    fn python_number_coercion() {
        for ok in [" 42", "+3", "1_000", "-0", "007", "\t5\n"] {
            assert!(python_int(ok), "{ok:?}");
        }
        for bad in ["1.0", "", "_1", "1__0", "1_", "0x10", "1e3", "+"] {
            assert!(!python_int(bad), "{bad:?}");
        }
        for ok in [
            "inf",
            "-Infinity",
            "NaN",
            "1e3",
            "1.",
            ".5",
            "1_0.5",
            " 2.5E-3 ",
            "3",
        ] {
            assert!(python_float(ok), "{ok:?}");
        }
        for bad in [".", "1._5", "e3", "1e", "abc", "1.0.0", ""] {
            assert!(!python_float(bad), "{bad:?}");
        }
    }

    #[test]
    fn default_coercion() {
        assert!(default_problem("boolean", "TRUE").is_none());
        assert!(default_problem("boolean", "yes").is_some());
        assert!(default_problem("list", "[28, 28]").is_none());
        assert!(default_problem("list", "{\"a\": 1}").is_some());
        assert!(default_problem("mapping", " {\"a\": 1} ").is_none());
        assert!(default_problem("mapping", "{a: 1}").is_some());
        assert!(default_problem("string", "anything").is_none());
    }
}
