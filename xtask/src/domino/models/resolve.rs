//! Name resolution: what each module defines and imports, what a name refers to, and
//! whether a class is a pydantic model or an enum (through its base classes).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use ruff_python_ast::{self as ast, Expr, Stmt};

use crate::source::{SourceFile, Span};

use super::imports::{self, NotFollowed};
use super::{Generator, Kind, R, Unsupported, unsupported};

pub(super) struct ModuleInfo<'a> {
    pub(super) file: &'a Arc<SourceFile>,
    /// The dotted module name (`APiece.models`).
    pub(super) name: String,
    /// Every name some module-level statement binds (in any branch, at any time), and
    /// whether a star import or a construct this does not follow may bind more: a name
    /// outside it is a `NameError` in Python.
    bound: HashSet<&'a str>,
    binds_unknown: bool,
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
    pub(super) fn new(
        file: &'a Arc<SourceFile>,
        body: &'a [Stmt],
        name: &str,
        is_package: bool,
    ) -> Self {
        let mut info = ModuleInfo {
            file,
            name: name.to_string(),
            // Sized for the module's statements (no growing and rehashing).
            bound: HashSet::with_capacity(body.len()),
            binds_unknown: file.text.contains(":="),
            classes: HashMap::with_capacity(body.len()),
            constants: HashMap::with_capacity(body.len()),
            imports: HashMap::with_capacity(body.len()),
        };
        let package = imports::package_of(name, is_package).to_string();
        info.collect_bound(body);
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
                Stmt::ImportFrom(import) => {
                    let Some(module) = imports::absolute_module(
                        &package,
                        import.level,
                        import.module.as_ref().map(|m| m.as_str()),
                    ) else {
                        continue;
                    };
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                        let path = canonical(&dotted(&module, &alias.name));
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

    /// Collects the names module-level statements bind (see `bound`).
    fn collect_bound(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::ClassDef(class) => {
                    self.bound.insert(class.name.as_str());
                }
                Stmt::FunctionDef(function) => {
                    self.bound.insert(function.name.as_str());
                }
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        self.bind_target(target);
                    }
                }
                Stmt::AnnAssign(assign) => self.bind_target(&assign.target),
                Stmt::AugAssign(assign) => self.bind_target(&assign.target),
                Stmt::TypeAlias(alias) => self.bind_target(&alias.name),
                Stmt::Import(import) => {
                    for alias in &import.names {
                        match &alias.asname {
                            Some(asname) => self.bound.insert(asname.as_str()),
                            None => self
                                .bound
                                .insert(alias.name.as_str().split('.').next().unwrap_or_default()),
                        };
                    }
                }
                Stmt::ImportFrom(import) => {
                    for alias in &import.names {
                        if alias.name.as_str() == "*" {
                            self.binds_unknown = true;
                        }
                        self.bound
                            .insert(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                    }
                }
                Stmt::For(for_) => {
                    self.bind_target(&for_.target);
                    self.collect_bound(&for_.body);
                    self.collect_bound(&for_.orelse);
                }
                Stmt::While(while_) => {
                    self.collect_bound(&while_.body);
                    self.collect_bound(&while_.orelse);
                }
                Stmt::If(if_) => {
                    self.collect_bound(&if_.body);
                    for clause in &if_.elif_else_clauses {
                        self.collect_bound(&clause.body);
                    }
                }
                Stmt::With(with) => {
                    for item in &with.items {
                        if let Some(target) = &item.optional_vars {
                            self.bind_target(target);
                        }
                    }
                    self.collect_bound(&with.body);
                }
                Stmt::Try(try_) => {
                    self.collect_bound(&try_.body);
                    for handler in &try_.handlers {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        if let Some(name) = &handler.name {
                            self.bound.insert(name.as_str());
                        }
                        self.collect_bound(&handler.body);
                    }
                    self.collect_bound(&try_.orelse);
                    self.collect_bound(&try_.finalbody);
                }
                Stmt::Match(_) | Stmt::Global(_) | Stmt::Nonlocal(_) => {
                    self.binds_unknown = true;
                }
                _ => {}
            }
        }
    }

    fn bind_target(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) => {
                self.bound.insert(name.id.as_str());
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt);
                }
            }
            Expr::Starred(starred) => self.bind_target(&starred.value),
            _ => {}
        }
    }

    /// A name no statement of the module binds: Python raises `NameError` for it.
    pub(super) fn is_undefined(&self, name: &str) -> bool {
        let dunder = name.starts_with("__") && name.ends_with("__");
        let builtin = PYTHON_BUILTINS.split_ascii_whitespace().any(|b| b == name);
        !(self.binds_unknown || self.bound.contains(name) || builtin || dunder)
    }

    /// The names a module binds, for a did-you-mean.
    pub(super) fn bound_names(&self) -> impl Iterator<Item = &str> {
        self.bound
            .iter()
            .copied()
            .chain(PYTHON_BUILTINS.split_ascii_whitespace())
    }
}

/// The names of Python 3.11's `builtins` module (without the private ones).
const PYTHON_BUILTINS: &str = "ArithmeticError AssertionError AttributeError BaseException \
BaseExceptionGroup BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError \
ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError \
DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup \
False FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError \
ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError \
KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None \
NotADirectoryError NotImplemented NotImplementedError OSError OverflowError \
PendingDeprecationWarning PermissionError ProcessLookupError RecursionError ReferenceError \
ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration SyntaxError \
SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError UnboundLocalError \
UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning \
UserWarning ValueError Warning ZeroDivisionError abs aiter all anext any ascii bin bool \
breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr \
dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr \
hash help hex id input int isinstance issubclass iter len license list locals map max \
memoryview min next object oct open ord pow print property quit range repr reversed round set \
setattr slice sorted staticmethod str sum super tuple type vars zip";

/// Canonical dotted path of an imported symbol.
/// `path.name`, built in one string (a `format!` here was a measurable
/// share of resolving names).
fn dotted(path: &str, name: &str) -> String {
    let mut full = String::with_capacity(path.len() + 1 + name.len());
    full.push_str(path);
    full.push('.');
    full.push_str(name);
    full
}

fn canonical(path: &str) -> String {
    let path = path
        .strip_prefix("typing_extensions.")
        .map_or_else(|| path.to_string(), |rest| format!("typing.{rest}"));
    for prefix in [
        "pydantic.fields.",
        "pydantic.main.",
        "pydantic.config.",
        "pydantic.types.",
        "pydantic.networks.",
        "pydantic.aliases.",
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
    /// A name no statement of its module binds (`NameError`).
    Undefined(String),
    /// `from <repository module> import <name>` of a name it does not have
    /// (`ImportError`), or a name reached through a module that is not followed.
    Missing(String),
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
    /// The modules by dotted name.
    by_name: HashMap<String, usize>,
    /// Modules of the repository found but not followed, with the reason.
    not_followed: NotFollowed,
    /// The errors that are Python's own (`NameError`, `ImportError`), by module, start
    /// and message, with their help.
    name_errors: RefCell<HashMap<(usize, usize, String), String>>,
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
    pub(super) fn new(modules: Vec<ModuleInfo<'a>>, not_followed: NotFollowed) -> Self {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (index, module) in modules.iter().enumerate() {
            by_name.entry(module.name.clone()).or_insert(index);
            if module.name == "domino.models" {
                // `domino.models` re-exports its `output_modifier` module
                by_name
                    .entry("domino.models.output_modifier".into())
                    .or_insert(index);
            }
        }
        Ctx {
            modules,
            by_name,
            not_followed,
            name_errors: RefCell::new(HashMap::new()),
            nesting: Cell::new(0),
            budget: Cell::new(EVAL_BUDGET),
        }
    }

    /// The help of `error` when it is one of Python's own failures.
    pub(super) fn name_error(&self, error: &Unsupported) -> Option<String> {
        self.name_errors
            .borrow()
            .get(&(error.module, error.span.start, error.what.clone()))
            .cloned()
    }

    /// The `NameError` or `ImportError` Python raises at `expr`, if `expr` (or the
    /// function it calls, the generic it subscripts) is a name that is not defined.
    pub(super) fn python_error(&self, module: usize, expr: &'a Expr) -> Option<Unsupported> {
        let target = match expr {
            Expr::Call(call) => &*call.func,
            Expr::Subscript(subscript) => &*subscript.value,
            other => other,
        };
        let (what, help) = match self.resolve(module, target) {
            Sym::Undefined(name) => {
                let what = format!("name `{name}` is not defined");
                let info = &self.modules[module];
                let candidates: Vec<&str> = info.bound_names().collect();
                let help = match crate::suggest::did_you_mean(&name, &candidates) {
                    Some(candidate) => format!(
                        "did you mean `{candidate}`? Python raises `NameError` when it imports {}",
                        info.file.display
                    ),
                    None => format!(
                        "Python raises `NameError` when it imports {}: define or import `{name}`",
                        info.file.display
                    ),
                };
                (what, help)
            }
            Sym::Missing(what) => (
                what,
                "Python raises `ImportError` (or `AttributeError`) when it imports this module"
                    .to_string(),
            ),
            _ => return None,
        };
        let span = crate::python::span_of(target);
        self.name_errors
            .borrow_mut()
            .insert((module, span.start, what.clone()), help);
        Some(Unsupported { module, span, what })
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
                        Binding::Module(path) => self.module(path),
                        Binding::Symbol(path) => self.lookup(path, 0),
                    }
                } else if BUILTINS.contains(&id) {
                    Sym::External(format!("builtins.{id}"))
                } else if info.is_undefined(id) {
                    Sym::Undefined(id.to_string())
                } else {
                    Sym::Unknown
                }
            }
            // `a.b.c`: the names of the chain, collected without recursion; the first
            // must be a module, the rest is a dotted path from it.
            Expr::Attribute(attribute) => {
                let mut parts: Vec<&str> = vec![attribute.attr.as_str()];
                let mut value = &*attribute.value;
                loop {
                    match value {
                        Expr::Attribute(inner) => {
                            parts.push(inner.attr.as_str());
                            value = &inner.value;
                        }
                        Expr::Name(_) => break,
                        _ => return Sym::Unknown,
                    }
                }
                parts.reverse();
                match self.resolve(module, value) {
                    start @ Sym::Module(_) => self.walk(start, &parts, 0),
                    undefined @ Sym::Undefined(_) => undefined,
                    _ => Sym::Unknown,
                }
            }
            _ => Sym::Unknown,
        }
    }

    /// What a dotted path names: a module of the repository (or domino-py's models), a
    /// class or constant in one (through its imports, at most 16 hops), or an external
    /// symbol.
    fn lookup(&self, path: &str, hops: usize) -> Sym<'a> {
        let mut parts = path.split('.');
        let first = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        self.walk(self.module(first), &rest, hops)
    }

    /// The attributes `parts` of `start`, one after the other (`a.b.c`: `b` in module `a`,
    /// then `c` in what that is).
    fn walk(&self, start: Sym<'a>, parts: &[&str], hops: usize) -> Sym<'a> {
        if hops > 16 {
            return Sym::Missing("imports that go round in a cycle".into());
        }
        let mut current = start;
        for part in parts {
            current = match current {
                Sym::Module(path) => self.attribute(&path, part, hops),
                Sym::External(mut path) => {
                    path.push('.');
                    path.push_str(part);
                    Sym::External(path)
                }
                Sym::Class(_) | Sym::Constant(..) | Sym::Unknown => return Sym::Unknown,
                other @ (Sym::Undefined(_) | Sym::Missing(_)) => return other,
            };
        }
        match current {
            Sym::External(path) => Sym::External(canonical(&path)),
            other => other,
        }
    }

    /// The attribute `name` of the module `path`: what the module binds (a class, a
    /// constant, an import followed further), or a submodule; in a module that is not of
    /// the repository, an external symbol.
    fn attribute(&self, path: &str, name: &str, hops: usize) -> Sym<'a> {
        let full = dotted(path, name);
        if let Some(why) = self.not_followed.get(&full) {
            return Sym::Missing(format!("the module `{full}` is not followed: {why}"));
        }
        let Some(&index) = self.by_name.get(path) else {
            return if self.by_name.contains_key(&full) {
                Sym::Module(full)
            } else {
                Sym::External(full)
            };
        };
        let info = &self.modules[index];
        if let Some(class) = info.classes.get(name) {
            Sym::Class((index, class))
        } else if let Some(value) = info.constants.get(name) {
            Sym::Constant(index, value)
        } else if let Some(binding) = info.imports.get(name) {
            match binding {
                Binding::Module(p) => self.module(p),
                Binding::Symbol(p) => self.lookup(p, hops + 1),
            }
        } else if self.by_name.contains_key(&full) {
            Sym::Module(full)
        } else if info.is_undefined(name) {
            Sym::Missing(format!(
                "cannot import name `{name}` from `{path}` ({})",
                info.file.display
            ))
        } else {
            Sym::Unknown
        }
    }

    /// What `import <path>` binds: a module (of the repository or not), unless it was
    /// found and not followed.
    fn module(&self, path: &str) -> Sym<'a> {
        match self.not_followed_prefix(path) {
            Some(why) => Sym::Missing(why),
            None => Sym::Module(path.to_string()),
        }
    }

    /// Why a module on the way to `path` was not followed.
    fn not_followed_prefix(&self, path: &str) -> Option<String> {
        let mut prefix = String::new();
        for part in path.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            if let Some(why) = self.not_followed.get(&prefix) {
                return Some(format!("the module `{prefix}` is not followed: {why}"));
            }
        }
        None
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
    /// Refuses `expr`: Python's own error when it is an undefined name (see
    /// [`Ctx::python_error`]), `what` is not understood otherwise.
    pub(super) fn refuse<T>(&self, module: usize, expr: &'a Expr, what: &str) -> R<T> {
        match self.ctx.python_error(module, expr) {
            Some(error) => Err(error),
            None => unsupported(module, expr, what),
        }
    }

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
                _ => {
                    if let Some(error) = self.ctx.python_error(module, base) {
                        return Err(error);
                    }
                }
            }
        }
        unsupported(
            module,
            &class.name,
            "a class that is neither a pydantic model nor an enum",
        )
    }
}
