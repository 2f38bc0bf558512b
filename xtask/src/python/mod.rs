//! Python source reading shared by the Domino and Dioptra sides: a real parser
//! (ruff's), no Python is run. Every syntax error is reported with `line:col`.

use std::sync::Arc;

use ruff_python_ast::{self as ast, ModModule, PySourceType, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};

/// The code of a Python syntax error.
pub const SYNTAX_ERROR: Code = Code::PythonSyntaxError;

/// A parsed Python module.
pub struct PythonModule {
    pub file: Arc<SourceFile>,
    pub module: ModModule,
    /// The source was refused before parsing (nested beyond the limits): the
    /// module is empty and says nothing about the file.
    pub refused: bool,
}

/// How deep brackets may nest: CPython's tokenizer refuses the 201st level
/// ("too many nested parentheses").
pub const MAX_BRACKETS: usize = 200;
/// How deep blocks may nest: CPython refuses the 101st level ("too many levels
/// of indentation").
pub const MAX_INDENTS: usize = 100;
/// How deep an expression may nest (operator chains, unary operators,
/// attribute, call and subscript chains): CPython's compiler gives up with a
/// RecursionError near its recursion limit of 1,000.
pub const MAX_EXPRESSION_DEPTH: usize = 1000;

/// The span of an AST range.
pub fn span(range: TextRange) -> Span {
    Span::new(range.start().to_usize(), range.end().to_usize())
}

/// The span of any AST node.
pub fn span_of(node: &impl Ranged) -> Span {
    span(node.range())
}

/// Parses a module; every syntax error becomes a diagnostic. The module is still
/// returned (with error recovery) so later checks can run where they make sense.
pub fn parse(file: &Arc<SourceFile>) -> (PythonModule, Vec<Diagnostic>) {
    // An unresolved merge conflict is one problem, not a cascade of syntax
    // errors on its lines.
    if let Some(offset) = conflict_marker(&file.text) {
        let empty = ruff_python_parser::parse_unchecked_source("", PySourceType::Python);
        let diagnostic = Diagnostic::error(
            SYNTAX_ERROR,
            "Python syntax error: an unresolved merge conflict (conflict markers)",
        )
        .at(file, Span::new(offset, offset + 7))
        .with_label("conflict marker")
        .with_help("resolve the conflict: keep one side, delete the `<<<<<<<`, `=======` and `>>>>>>>` lines");
        let module = PythonModule {
            file: Arc::clone(file),
            module: empty.into_syntax(),
            refused: true,
        };
        return (module, vec![diagnostic]);
    }
    // The parser and every reader of the tree recurse over the nesting: a
    // source nested beyond what CPython accepts is refused before parsing.
    if let Some((offset, message)) = nesting_problem(&file.text) {
        let empty = ruff_python_parser::parse_unchecked_source("", PySourceType::Python);
        let diagnostic = Diagnostic::error(
            Code::InputResourceLimit,
            format!("Python source nested too deeply: {message}; the file is not read"),
        )
        .at(file, Span::new(offset, offset + 1))
        .with_help("CPython refuses it too; flatten the expression or the blocks");
        let module = PythonModule {
            file: Arc::clone(file),
            module: empty.into_syntax(),
            refused: true,
        };
        return (module, vec![diagnostic]);
    }
    let parsed = ruff_python_parser::parse_unchecked_source(&file.text, PySourceType::Python);
    let diagnostics = parsed
        .errors()
        .iter()
        .map(|error| {
            Diagnostic::error(
                SYNTAX_ERROR,
                format!("Python syntax error: {}", error.error),
            )
            .at(file, span(error.location))
        })
        .collect();
    let module = PythonModule {
        file: Arc::clone(file),
        module: parsed.into_syntax(),
        refused: false,
    };
    (module, diagnostics)
}

/// The offset of the first line that starts a merge conflict (`<<<<<<< `),
/// when the file also holds its `=======` and `>>>>>>>` lines.
fn conflict_marker(text: &str) -> Option<usize> {
    let mut offset = 0;
    let mut start = None;
    let (mut middle, mut end) = (false, false);
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if start.is_none() && (content == "<<<<<<<" || content.starts_with("<<<<<<< ")) {
            start = Some(offset);
        } else if start.is_some() && content == "=======" {
            middle = true;
        } else if middle && (content == ">>>>>>>" || content.starts_with(">>>>>>> ")) {
            end = true;
            break;
        }
        offset += line.len();
    }
    start.filter(|_| end)
}

/// What the scanner is inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Code: a bracket (or the module itself), with the length of the current
    /// operator chain inside it.
    Code { chain: usize },
    /// A string literal: its quote, triple or not, raw, an f-string.
    String {
        quote: u8,
        triple: bool,
        raw: bool,
        formatted: bool,
    },
    /// The expression part of an f-string replacement field `{...}`.
    Field { chain: usize },
}

/// The first place where a source nests deeper than CPython accepts, with the
/// reason (brackets, blocks, expression chains; f-string fields included). A
/// light scan: strings and comments are skipped, nothing is parsed.
pub fn nesting_problem(text: &str) -> Option<(usize, String)> {
    /// The chain length of a scope (strings have none).
    fn chain_of(scope: &Scope) -> usize {
        match scope {
            Scope::Code { chain } | Scope::Field { chain } => *chain,
            Scope::String { .. } => 0,
        }
    }
    let too_deep = |i: usize| {
        Some((
            i,
            format!("an expression nested more than {MAX_EXPRESSION_DEPTH} levels deep"),
        ))
    };
    let too_many_brackets =
        |i: usize| Some((i, format!("more than {MAX_BRACKETS} nested brackets")));
    let bytes = text.as_bytes();
    let mut stack = vec![Scope::Code { chain: 0 }];
    // The sum of the chains of the stack: how deep the current expression is.
    let mut depth = 0usize;
    let mut indents: Vec<usize> = vec![0];
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let top = *stack.last().expect("the module scope stays");
        if let Scope::String {
            quote,
            triple,
            raw,
            formatted,
        } = top
        {
            if byte == b'\\' && !raw {
                i += 2;
                continue;
            }
            if byte != quote && byte != b'\n' && !(formatted && byte == b'{') {
                // Nothing else ends or opens anything in a string: skip to
                // the next byte that may.
                let rest = &bytes[i + 1..];
                let skip = if formatted {
                    rest.iter()
                        .position(|&b| b == quote || b == b'\\' || b == b'\n' || b == b'{')
                } else {
                    memchr::memchr3(quote, b'\\', b'\n', rest)
                };
                i += 1 + skip.unwrap_or(rest.len());
                continue;
            }
            let closes = if triple {
                bytes[i..].starts_with(&[quote, quote, quote])
            } else {
                byte == quote || byte == b'\n'
            };
            if closes {
                stack.pop();
                i += if triple { 3 } else { 1 };
                continue;
            }
            if formatted && byte == b'{' {
                if bytes.get(i + 1) == Some(&b'{') {
                    i += 2;
                    continue;
                }
                stack.push(Scope::Field { chain: 0 });
                if stack.len() > MAX_BRACKETS {
                    return too_many_brackets(i);
                }
            }
            i += 1;
            continue;
        }
        // Code or an f-string field.
        if at_line_start && stack.len() == 1 {
            at_line_start = false;
            let mut width = 0;
            let mut j = i;
            while let Some(b' ' | b'\t') = bytes.get(j) {
                width += if bytes[j] == b'\t' { 8 - width % 8 } else { 1 };
                j += 1;
            }
            let blank = matches!(bytes.get(j), None | Some(b'\n' | b'\r' | b'#'));
            if !blank {
                while indents.last().is_some_and(|last| width < *last) {
                    indents.pop();
                }
                if indents.last().is_some_and(|last| width > *last) {
                    indents.push(width);
                    if indents.len() > MAX_INDENTS + 1 {
                        return Some((j, format!("more than {MAX_INDENTS} levels of indentation")));
                    }
                }
            }
            i = j;
            continue;
        }
        let mut link = false;
        match byte {
            b'#' => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |at| i + at);
                continue;
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                continue;
            }
            b'\n' if stack.len() == 1 => {
                at_line_start = true;
                depth -= chain_of(&stack[0]);
                stack[0] = Scope::Code { chain: 0 };
            }
            b'"' | b'\'' => {
                let prefix = string_prefix(bytes, i);
                let triple = bytes[i..].starts_with(&[byte, byte, byte]);
                stack.push(Scope::String {
                    quote: byte,
                    triple,
                    raw: prefix.contains(&b'r') || prefix.contains(&b'R'),
                    formatted: prefix.contains(&b'f') || prefix.contains(&b'F'),
                });
                i += if triple { 3 } else { 1 };
                continue;
            }
            b'(' | b'[' | b'{' => {
                link = true;
                stack.push(Scope::Code { chain: 0 });
                if stack.len() > MAX_BRACKETS {
                    return too_many_brackets(i);
                }
            }
            b')' | b']' if stack.len() > 1 && matches!(top, Scope::Code { .. }) => {
                depth -= chain_of(&top);
                stack.pop();
            }
            b'}' if stack.len() > 1 => {
                depth -= chain_of(&top);
                stack.pop();
            }
            b',' | b';' => {
                if let Some(Scope::Code { chain } | Scope::Field { chain }) = stack.last_mut() {
                    depth -= *chain;
                    *chain = 0;
                }
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>'
            | b'.' | b'=' | b'!' => link = true,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    i += 1;
                }
                let word = &text[start..i];
                if matches!(
                    word,
                    "not" | "and" | "or" | "if" | "else" | "lambda" | "await" | "in" | "is"
                ) {
                    // The word's scope is the current one (no bracket opened).
                    if let Some(Scope::Code { chain } | Scope::Field { chain }) = stack.last_mut() {
                        *chain += 1;
                        depth += 1;
                    }
                    if depth > MAX_EXPRESSION_DEPTH {
                        return too_deep(start);
                    }
                }
                continue;
            }
            _ => {}
        }
        if link {
            // An operator, or a bracket opened in the scope below it: one more
            // level in the enclosing scope's chain.
            let at = if byte == b'(' || byte == b'[' || byte == b'{' {
                stack.len() - 2
            } else {
                stack.len() - 1
            };
            if let Scope::Code { chain } | Scope::Field { chain } = &mut stack[at] {
                *chain += 1;
                depth += 1;
            }
            if depth > MAX_EXPRESSION_DEPTH {
                return too_deep(i);
            }
        }
        i += 1;
    }
    None
}

/// The letters right before a quote (`rb`, `f`, ...), if they form a prefix.
fn string_prefix(bytes: &[u8], quote: usize) -> &[u8] {
    let mut start = quote;
    while start > 0 && b"rRbBuUfF".contains(&bytes[start - 1]) && quote - start < 2 {
        start -= 1;
    }
    let prefix = &bytes[start..quote];
    let standalone =
        start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
    if standalone { prefix } else { &[] }
}

impl PythonModule {
    /// The class defined at the top level with this name (the last one wins, as in Python).
    pub fn class(&self, name: &str) -> Option<&ast::StmtClassDef> {
        self.module.body.iter().rev().find_map(|stmt| match stmt {
            Stmt::ClassDef(class) if class.name.as_str() == name => Some(class),
            _ => None,
        })
    }

    /// The function defined at the top level with this name (the last one wins).
    pub fn function(&self, name: &str) -> Option<&ast::StmtFunctionDef> {
        self.module.body.iter().rev().find_map(|stmt| match stmt {
            Stmt::FunctionDef(function) if function.name.as_str() == name => Some(function),
            _ => None,
        })
    }

    /// Names of the top-level classes, in source order.
    pub fn class_names(&self) -> Vec<&str> {
        self.module
            .body
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::ClassDef(class) => Some(class.name.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Names of the top-level functions, in source order.
    pub fn function_names(&self) -> Vec<&str> {
        self.module
            .body
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::FunctionDef(function) => Some(function.name.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A method defined directly in a class body.
pub fn method<'a>(class: &'a ast::StmtClassDef, name: &str) -> Option<&'a ast::StmtFunctionDef> {
    class.body.iter().rev().find_map(|stmt| match stmt {
        Stmt::FunctionDef(function) if function.name.as_str() == name => Some(function),
        _ => None,
    })
}

/// One parameter of a function signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub has_default: bool,
    pub kind: ParameterKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterKind {
    PositionalOnly,
    Regular,
    VarArgs,
    KeywordOnly,
    VarKeywords,
}

/// The parameters of a function, in signature order.
pub fn parameters(function: &ast::StmtFunctionDef) -> Vec<Parameter> {
    let params = &function.parameters;
    let mut out = Vec::new();
    let with_default = |kind, p: &ast::ParameterWithDefault| Parameter {
        name: p.parameter.name.to_string(),
        has_default: p.default.is_some(),
        kind,
        span: span_of(p),
    };
    out.extend(
        params
            .posonlyargs
            .iter()
            .map(|p| with_default(ParameterKind::PositionalOnly, p)),
    );
    out.extend(
        params
            .args
            .iter()
            .map(|p| with_default(ParameterKind::Regular, p)),
    );
    if let Some(vararg) = &params.vararg {
        out.push(Parameter {
            name: vararg.name.to_string(),
            has_default: false,
            kind: ParameterKind::VarArgs,
            span: span_of(vararg.as_ref()),
        });
    }
    out.extend(
        params
            .kwonlyargs
            .iter()
            .map(|p| with_default(ParameterKind::KeywordOnly, p)),
    );
    if let Some(kwarg) = &params.kwarg {
        out.push(Parameter {
            name: kwarg.name.to_string(),
            has_default: false,
            kind: ParameterKind::VarKeywords,
            span: span_of(kwarg.as_ref()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_beyond_cpythons_limits_is_refused_before_parsing() {
        let deep = |open: &str, close: &str, n: usize| {
            format!("x = {}1{}\n", open.repeat(n), close.repeat(n))
        };
        for (source, reason) in [
            (deep("[", "]", 50_000), "nested brackets"),
            (deep("(", ")", 201), "nested brackets"),
            (deep("-", "", 50_000), "expression"),
            (deep("not ", "", 50_000), "expression"),
            (
                format!("x = {}\n", vec!["1"; 100_000].join(" + ")),
                "expression",
            ),
            (format!("x = a{}\n", ".b".repeat(5_000)), "expression"),
            (
                format!("x = f\"{}\"\n", "{f'".repeat(300)),
                "nested brackets",
            ),
            (
                (0..102)
                    .map(|i| format!("{}if x:\n", "    ".repeat(i)))
                    .collect::<String>()
                    + &"    ".repeat(102)
                    + "pass\n",
                "indentation",
            ),
        ] {
            let problem = nesting_problem(&source);
            assert!(
                problem
                    .as_ref()
                    .is_some_and(|(_, message)| message.contains(reason)),
                "{reason}: {problem:?}"
            );
            let file = SourceFile::new("m.py".into(), "m.py".into(), source);
            let (module, diagnostics) = parse(&file);
            assert!(module.refused);
            assert_eq!(diagnostics[0].code, Code::InputResourceLimit);
        }
    }

    #[test]
    fn a_merge_conflict_is_one_diagnostic() {
        let source = "x = 1\n<<<<<<< HEAD\ny = 2\n=======\ny = 3\n>>>>>>> feature\n";
        let file = SourceFile::new("m.py".into(), "m.py".into(), source.into());
        let (_, diagnostics) = parse(&file);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].message.contains("merge conflict"));
        assert_eq!(
            file.line_col(match &diagnostics[0].location {
                Some(crate::diagnostics::Location::Span { span, .. }) => span.start,
                _ => unreachable!(),
            })
            .line,
            2
        );
        // A lone marker-like line is not a conflict.
        assert_eq!(conflict_marker("<<<<<<< x\n"), None);
    }

    #[test]
    fn ordinary_code_is_not_refused() {
        let source = r#"
import re
PATTERN = re.compile(r"(\((\[" + "{" * 300 + "]")  # brackets in strings
class A:
    def f(self, a=1, b=(2, 3)):
        return [g(i) for i in range(10)] + {"k": [1, 2, 3]}["k"]
TABLE = [(i, i * 2) for i in range(3)] + [""" ((( """] * 2
msg = f"{a + b:>10} {{literal}} {c['k']!r}"
"#;
        let long_list = format!("DATA = [{}]\n", vec!["f(1) + 2"; 20_000].join(", "));
        let deep_blocks: String = (0..50)
            .map(|i| format!("{}if x:\n", "\t".repeat(i)))
            .collect();
        for source in [
            source.to_string(),
            long_list,
            deep_blocks + &"\t".repeat(50) + "pass\n",
        ] {
            assert_eq!(nesting_problem(&source), None, "{source:.200}");
        }
    }

    #[test]
    fn reports_every_syntax_error_with_position() {
        let file = SourceFile::new(
            "m.py".into(),
            "m.py".into(),
            "class A:\n    x = (\n\ndef f(:\n    pass\n".into(),
        );
        let (_, diagnostics) = parse(&file);
        assert!(!diagnostics.is_empty());
        assert!(diagnostics.iter().all(|d| d.code == SYNTAX_ERROR));
    }

    #[test]
    fn finds_classes_functions_and_parameters() {
        let file = SourceFile::new(
            "m.py".into(),
            "m.py".into(),
            "class P(Base):\n    def piece_function(self, a, b=1, *, c, **kw):\n        pass\n\ndef task(x, y=2):\n    pass\n".into(),
        );
        let (module, diagnostics) = parse(&file);
        assert!(diagnostics.is_empty());
        let class = module.class("P").unwrap();
        let method = method(class, "piece_function").unwrap();
        let names: Vec<_> = parameters(method)
            .into_iter()
            .map(|p| (p.name, p.has_default))
            .collect();
        assert_eq!(
            names,
            [
                ("self".to_string(), false),
                ("a".to_string(), false),
                ("b".to_string(), true),
                ("c".to_string(), false),
                ("kw".to_string(), false)
            ]
        );
        assert_eq!(
            module.function("task").map(|f| parameters(f).len()),
            Some(2)
        );
        assert_eq!(module.class_names(), ["P"]);
    }
}
