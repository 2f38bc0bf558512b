//! Name resolution: what each module defines and imports, what a name refers to, and
//! whether a class is a pydantic model or an enum (through its base classes).

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use ruff_python_ast::{self as ast, Expr, Stmt};

use crate::source::{SourceFile, Span};

use super::{Generator, Kind, R, Unsupported, unsupported};

pub(super) struct ModuleInfo<'a> {
    pub(super) file: &'a Arc<SourceFile>,
    /// Top-level classes (the last definition wins, as in Python).
    pub(super) classes: HashMap<&'a str, &'a ast::StmtClassDef>,
    /// Top-level `NAME = value` assignments.
    constants: HashMap<&'a str, &'a Expr>,
    /// Names bound by imports.
    imports: HashMap<String, Binding>,
}

#[derive(Clone)]
enum Binding {
    Module(String),
    Symbol(String),
}

impl<'a> ModuleInfo<'a> {
    pub(super) fn new(file: &'a Arc<SourceFile>, body: &'a [Stmt]) -> Self {
        let mut info = ModuleInfo {
            file,
            classes: HashMap::new(),
            constants: HashMap::new(),
            imports: HashMap::new(),
        };
        for stmt in body {
            match stmt {
                Stmt::ClassDef(class) => {
                    info.constants.remove(class.name.as_str());
                    info.classes.insert(class.name.as_str(), class);
                }
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Name(name) = target {
                            info.classes.remove(name.id.as_str());
                            info.constants.insert(name.id.as_str(), &assign.value);
                        }
                    }
                }
                Stmt::AnnAssign(assign) => {
                    if let (Expr::Name(name), Some(value)) = (&*assign.target, &assign.value) {
                        info.constants.insert(name.id.as_str(), value);
                    }
                }
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let full = alias.name.as_str();
                        match &alias.asname {
                            Some(asname) => {
                                info.imports
                                    .insert(asname.to_string(), Binding::Module(full.into()));
                            }
                            None => {
                                let first = full.split('.').next().unwrap_or(full);
                                info.imports
                                    .insert(first.to_string(), Binding::Module(first.into()));
                            }
                        }
                    }
                }
                Stmt::ImportFrom(import) if import.level == 0 => {
                    let Some(module) = &import.module else {
                        continue;
                    };
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                        let path = canonical(&format!("{}.{}", module.as_str(), alias.name));
                        // `from datetime import datetime` binds a class, `from x import y`
                        // with y a module is not distinguishable: treat known modules.
                        let binding = if matches!(path.as_str(), "domino.models") {
                            Binding::Module(path)
                        } else {
                            Binding::Symbol(path)
                        };
                        info.imports.insert(bound, binding);
                    }
                }
                _ => {}
            }
        }
        info
    }
}

/// Canonical dotted path of an imported symbol.
fn canonical(path: &str) -> String {
    let path = path
        .strip_prefix("typing_extensions.")
        .map_or_else(|| path.to_string(), |rest| format!("typing.{rest}"));
    for prefix in [
        "pydantic.fields.",
        "pydantic.main.",
        "pydantic.config.",
        "pydantic.types.",
        "pydantic.functional_validators.",
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            return format!("pydantic.{rest}");
        }
    }
    if let Some(rest) = path.strip_prefix("domino.models.output_modifier.") {
        return format!("domino.models.{rest}");
    }
    path
}

pub(super) type ClassKey<'a> = (usize, &'a ast::StmtClassDef);

pub(super) fn same_class(a: ClassKey<'_>, b: ClassKey<'_>) -> bool {
    a.0 == b.0 && std::ptr::eq(a.1, b.1)
}

pub(super) enum Sym<'a> {
    Class(ClassKey<'a>),
    Constant(usize, &'a Expr),
    Module(String),
    External(String),
    Unknown,
}

const BUILTINS: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "set",
    "frozenset",
    "tuple",
    "bytes",
    "object",
];

/// How deep the reader may recurse, all recursions together (an expression in an
/// expression, a type in a type, a model read to evaluate a default of a model, a model's
/// schema in a schema, a `default_factory`): a valid models.py can nest any of them as
/// deep as the parser allows. Real models nest a few levels. A level takes at most about
/// 9 KiB of stack in a debug build (measured on each kind of chain), so about 900 KiB at
/// the bound: less than half of a worker thread's 2 MiB. The older, narrower bounds (64
/// levels of one value, 32 of a class hierarchy) still apply first.
pub(super) const MAX_NESTING: usize = 100;

/// How much evaluating the values of one models.py may cost: a unit per expression
/// evaluated and per byte of string or item of list it makes. A constant is evaluated
/// again at each use, so constants made of constants can multiply the work (`A1 = [A0,
/// A0]`, `A2 = [A1, A1]`, ... needs 2^40 steps at `A40`); this stops them in about a
/// second. The models of the corpus cost at most about 1,100 units.
pub(super) const EVAL_BUDGET: usize = 1_000_000;

pub(super) struct Ctx<'a> {
    pub(super) modules: Vec<ModuleInfo<'a>>,
    /// The reader's recursion depth now (see [`MAX_NESTING`]), over all generators.
    nesting: Cell<usize>,
    /// What evaluation may still cost (see [`EVAL_BUDGET`]).
    budget: Cell<usize>,
}

/// One level of the reader's recursion, given back when dropped.
pub(super) struct Nesting<'c>(&'c Cell<usize>);

impl Drop for Nesting<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl<'a> Ctx<'a> {
    pub(super) fn new(modules: Vec<ModuleInfo<'a>>) -> Self {
        Ctx {
            modules,
            nesting: Cell::new(0),
            budget: Cell::new(EVAL_BUDGET),
        }
    }

    /// Enters one level of recursion at `span`; refused past [`MAX_NESTING`] levels.
    pub(super) fn nest(&self, module: usize, span: Span) -> R<Nesting<'_>> {
        let depth = self.nesting.get();
        if depth >= MAX_NESTING {
            return Err(Unsupported {
                module,
                span,
                what: format!(
                    "a construct nested more than {MAX_NESTING} levels deep (types, values or models within each other)"
                ),
            });
        }
        self.nesting.set(depth + 1);
        Ok(Nesting(&self.nesting))
    }

    /// Spends `units` of the evaluation budget at `span`; refused once it is spent.
    pub(super) fn spend(&self, module: usize, span: Span, units: usize) -> R<()> {
        match self.budget.get().checked_sub(units) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => {
                self.budget.set(0);
                Err(Unsupported {
                    module,
                    span,
                    what: format!(
                        "values that take more than {EVAL_BUDGET} steps to evaluate (constants made of constants multiply)"
                    ),
                })
            }
        }
    }

    pub(super) fn resolve(&self, module: usize, expr: &'a Expr) -> Sym<'a> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                let info = &self.modules[module];
                // Module code runs in order: a name is bound once its statement has run.
                // A class name is not bound inside its own body (Python raises
                // `NameError` there), nor a constant inside its own value.
                let bound =
                    |node: &dyn ruff_text_size::Ranged| node.range().end() <= name.range.start();
                if let Some(class) = info.classes.get(id) {
                    if bound(*class) {
                        Sym::Class((module, class))
                    } else {
                        Sym::Unknown
                    }
                } else if let Some(value) = info.constants.get(id) {
                    if bound(*value) {
                        Sym::Constant(module, value)
                    } else {
                        Sym::Unknown
                    }
                } else if let Some(binding) = info.imports.get(id) {
                    match binding {
                        Binding::Module(path) => Sym::Module(path.clone()),
                        Binding::Symbol(path) => self.external(path),
                    }
                } else if BUILTINS.contains(&id) {
                    Sym::External(format!("builtins.{id}"))
                } else {
                    Sym::Unknown
                }
            }
            // Only a name can be a module: `a.b.c` is never one more step to follow, so
            // a chain of attributes is not followed link by link (no recursion).
            Expr::Attribute(attribute) => match &*attribute.value {
                value @ Expr::Name(_) => match self.resolve(module, value) {
                    Sym::Module(path) => {
                        self.external(&canonical(&format!("{path}.{}", attribute.attr.as_str())))
                    }
                    _ => Sym::Unknown,
                },
                _ => Sym::Unknown,
            },
            _ => Sym::Unknown,
        }
    }

    fn external(&self, path: &str) -> Sym<'a> {
        if let Some(name) = path.strip_prefix("domino.models.")
            && let Some(class) = self.modules[1].classes.get(name)
        {
            return Sym::Class((1, class));
        }
        Sym::External(path.to_string())
    }

    pub(super) fn external_path(&self, module: usize, expr: &'a Expr) -> Option<String> {
        match self.resolve(module, expr) {
            Sym::External(path) => Some(path),
            _ => None,
        }
    }
}

/// The identity of a class definition (its address), to key the models already read.
pub(super) fn class_id(key: ClassKey<'_>) -> usize {
    key.1 as *const ast::StmtClassDef as usize
}

impl<'c, 'a> Generator<'c, 'a> {
    pub(super) fn kind(&self, key: ClassKey<'a>) -> R<Kind> {
        self.kind_depth(key, 0)
    }

    fn kind_depth(&self, key: ClassKey<'a>, depth: usize) -> R<Kind> {
        let (module, class) = key;
        if depth > 32 {
            return unsupported(module, &class.name, "class hierarchy too deep");
        }
        let Some(arguments) = &class.arguments else {
            return unsupported(
                module,
                &class.name,
                "a class that is neither a pydantic model nor an enum",
            );
        };
        for base in arguments.args.iter() {
            match self.ctx.resolve(module, base) {
                Sym::External(path) => match path.as_str() {
                    "pydantic.BaseModel" => return Ok(Kind::Model),
                    "enum.Enum" | "enum.IntEnum" | "enum.StrEnum" => return Ok(Kind::Enum),
                    _ => {}
                },
                Sym::Class(parent) => return self.kind_depth(parent, depth + 1),
                _ => {}
            }
        }
        unsupported(
            module,
            &class.name,
            "a class that is neither a pydantic model nor an enum",
        )
    }
}
