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
}

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
    };
    (module, diagnostics)
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
