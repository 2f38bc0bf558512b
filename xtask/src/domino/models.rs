//! The static schema reader: what pydantic **2.4.2** `Model.model_json_schema()` returns for
//! `InputModel`, `OutputModel` and `SecretsModel` of a piece's models.py, computed from the
//! syntax tree alone (no Python is run).
//!
//! The reader understands the constructs Domino pieces use (see `tests/domino-models/cases`,
//! whose goldens come from the reference): scalar, date/time and path types, `Optional`,
//! `Union` (also `X | Y`), `List`/`Dict`/`Set`/`Tuple[X, ...]` (typing and builtin),
//! `Literal`, `Any`, `Annotated[X, Field(...)]`, enums (str, int, plain), nested and
//! inherited models, `Field(...)` arguments, `ConfigDict`, module constants, defaults made of
//! literals, enum members, model instances and `date`/`datetime`/`time` calls, and
//! `domino.models.OutputModifierModel`/`OutputModifierItemType`. Anything else is a
//! `domino::unsupported-model-construct` diagnostic at that node and no schema: never a
//! silently wrong schema.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use ruff_python_ast::{self as ast, Expr, Number, Operator, Stmt, UnaryOp};
use serde_json::{Map, Value, json};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::python::{self, PythonModule, span_of};
use crate::source::{SourceFile, Span};

/// `InputModel` or `OutputModel` is not defined in models.py.
pub const MISSING_MODEL_CLASS: Code = Code::DominoMissingModelClass;
/// A construct the static reader does not understand.
pub const UNSUPPORTED: Code = Code::DominoUnsupportedModelConstruct;

/// The three schemas of one models.py; `None` when the class is missing or unsupported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSchemas {
    pub input: Option<Value>,
    pub output: Option<Value>,
    pub secrets: Option<Value>,
}

/// `domino/models/output_modifier.py` of domino-py 0.9.4, verbatim: what
/// `from domino.models import ...` brings in.
const DOMINO_MODELS_SOURCE: &str = r#"from pydantic import BaseModel, Field
from enum import Enum


class OutputModifierItemType(str, Enum):
    """
    OutputArgsType Enum
    """
    string = 'string'
    integer = 'integer'
    float = 'float'
    boolean = 'boolean'
    array = 'array'


class OutputModifierModel(BaseModel):
    name: str = Field(
        description='Name of the output argument.',
        json_schema_extra={
            "from_upstream": "never"
        }
    )
    type: OutputModifierItemType = Field(
        default=OutputModifierItemType.string,
        description='Type of the output argument.',
        json_schema_extra={
            "from_upstream": "never"
        },
    )
    description: str = Field(
        default="",
        description='Description of the output argument.',
        json_schema_extra={
            "from_upstream": "never"
        }
    )
"#;

/// Static equivalent of pydantic 2.4.2 `InputModel.model_json_schema()` etc. for one
/// models.py. A missing `InputModel`/`OutputModel` is a `domino::missing-model-class` error;
/// anything not understood is a `domino::unsupported-model-construct` error at that node, and
/// that schema is `None`.
pub fn model_schemas(module: &PythonModule) -> (ModelSchemas, Vec<Diagnostic>) {
    let builtin_file = SourceFile::new(
        "domino/models/output_modifier.py".into(),
        "<domino-py>/domino/models/output_modifier.py".into(),
        DOMINO_MODELS_SOURCE.into(),
    );
    let (builtin, _) = python::parse(&builtin_file);
    let ctx = Ctx {
        modules: vec![
            ModuleInfo::new(&module.file, &module.module.body),
            ModuleInfo::new(&builtin.file, &builtin.module.body),
        ],
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut seen: HashSet<(usize, usize, String)> = HashSet::new();
    let mut one = |name: &str, required: bool, diagnostics: &mut Vec<Diagnostic>| {
        let Some(&class) = ctx.modules[0].classes.get(name) else {
            if required {
                diagnostics.push(
                    Diagnostic::error(
                        MISSING_MODEL_CLASS,
                        format!("models.py does not define a class `{name}`"),
                    )
                    .at(&module.file, Span::at(0))
                    .with_help(format!(
                        "Domino reads the piece's schema from `class {name}(BaseModel)` in models.py"
                    )),
                );
            }
            return None;
        };
        let mut generator = Generator::new(&ctx);
        match generator.top_level((0, class)) {
            Ok(schema) => Some(schema),
            Err(error) => {
                let key = (error.module, error.span.start, error.what.clone());
                if seen.insert(key) {
                    let file = ctx.modules[error.module].file;
                    diagnostics.push(
                        Diagnostic::error(
                            UNSUPPORTED,
                            format!("unsupported in static mode: {}", error.what),
                        )
                        .at(file, error.span)
                        .with_help(format!(
                            "the static reader cannot compute the schema of `{name}`; simplify this construct or use `--schema-engine python` (or `auto`)"
                        )),
                    );
                }
                None
            }
        }
    };
    let input = one("InputModel", true, &mut diagnostics);
    let output = one("OutputModel", true, &mut diagnostics);
    let secrets = one("SecretsModel", false, &mut diagnostics);
    (
        ModelSchemas {
            input,
            output,
            secrets,
        },
        diagnostics,
    )
}

// ---------------------------------------------------------------------------------------
// Name resolution

struct ModuleInfo<'a> {
    file: &'a Arc<SourceFile>,
    /// Top-level classes (the last definition wins, as in Python).
    classes: HashMap<&'a str, &'a ast::StmtClassDef>,
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
    fn new(file: &'a Arc<SourceFile>, body: &'a [Stmt]) -> Self {
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

type ClassKey<'a> = (usize, &'a ast::StmtClassDef);

fn same_class(a: ClassKey<'_>, b: ClassKey<'_>) -> bool {
    a.0 == b.0 && std::ptr::eq(a.1, b.1)
}

enum Sym<'a> {
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

struct Ctx<'a> {
    modules: Vec<ModuleInfo<'a>>,
}

impl<'a> Ctx<'a> {
    fn resolve(&self, module: usize, expr: &'a Expr) -> Sym<'a> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                let info = &self.modules[module];
                // class bodies run at import time: a name must be bound before its use
                let before =
                    |node: &dyn ruff_text_size::Ranged| node.range().start() < name.range.start();
                if let Some(class) = info.classes.get(id) {
                    if before(*class) {
                        Sym::Class((module, class))
                    } else {
                        Sym::Unknown
                    }
                } else if let Some(value) = info.constants.get(id) {
                    if before(*value) {
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
            Expr::Attribute(attribute) => match self.resolve(module, &attribute.value) {
                Sym::Module(path) => {
                    self.external(&canonical(&format!("{path}.{}", attribute.attr.as_str())))
                }
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

    fn external_path(&self, module: usize, expr: &'a Expr) -> Option<String> {
        match self.resolve(module, expr) {
            Sym::External(path) => Some(path),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Errors

struct Unsupported {
    module: usize,
    span: Span,
    what: String,
}

type R<T> = Result<T, Unsupported>;

/// The members of an enum (name, JSON value; aliases included) and its docstring.
type EnumMembers = (Vec<(String, Value)>, Option<String>);

fn unsupported<T>(
    module: usize,
    node: &impl ruff_text_size::Ranged,
    what: impl Into<String>,
) -> R<T> {
    Err(Unsupported {
        module,
        span: span_of(node),
        what: what.into(),
    })
}

// ---------------------------------------------------------------------------------------
// Types and fields

#[derive(Clone)]
enum Ty<'a> {
    Str,
    Int,
    Float,
    Bool,
    NoneT,
    Any,
    /// A string with a `format` (date, date-time, time, file-path, directory-path).
    Format(&'static str),
    /// `SecretStr`: a write-only password string.
    Secret,
    List(Box<Ty<'a>>),
    Set(Box<Ty<'a>>),
    Tuple(Box<Ty<'a>>),
    Dict(Box<Ty<'a>>, Box<Ty<'a>>),
    Union(Vec<Ty<'a>>),
    Literal(Vec<Value>),
    Model(ClassKey<'a>),
    Enum(ClassKey<'a>),
}

impl PartialEq for Ty<'_> {
    fn eq(&self, other: &Self) -> bool {
        use Ty::*;
        match (self, other) {
            (Str, Str)
            | (Int, Int)
            | (Float, Float)
            | (Bool, Bool)
            | (NoneT, NoneT)
            | (Any, Any)
            | (Secret, Secret) => true,
            (Format(a), Format(b)) => a == b,
            (List(a), List(b)) | (Set(a), Set(b)) | (Tuple(a), Tuple(b)) => a == b,
            (Dict(a, b), Dict(c, d)) => a == c && b == d,
            (Union(a), Union(b)) => a == b,
            (Literal(a), Literal(b)) => a == b,
            (Model(a), Model(b)) | (Enum(a), Enum(b)) => same_class(*a, *b),
            _ => false,
        }
    }
}

#[derive(Clone, Default)]
struct FieldInfo<'a> {
    default: Option<&'a Expr>,
    factory: Option<&'a Expr>,
    alias: Option<String>,
    title: Option<String>,
    description: Option<String>,
    examples: Option<Value>,
    extra: Option<Map<String, Value>>,
    constraints: Vec<(&'static str, Value, Span)>,
}

impl<'a> FieldInfo<'a> {
    /// `FieldInfo.merge_field_infos`: later values win.
    fn merge(mut self, later: FieldInfo<'a>) -> FieldInfo<'a> {
        if later.default.is_some() || later.factory.is_some() {
            self.default = later.default;
            self.factory = later.factory;
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if later.$f.is_some() { self.$f = later.$f; } )* };
        }
        take!(alias, title, description, examples, extra);
        for (key, value, span) in later.constraints {
            self.constraints.retain(|(k, _, _)| *k != key);
            self.constraints.push((key, value, span));
        }
        self
    }
}

#[derive(Clone)]
struct FieldDef<'a> {
    name: String,
    key: String,
    ty: Ty<'a>,
    info: FieldInfo<'a>,
    module: usize,
    span: Span,
}

#[derive(Clone, Default)]
struct Config {
    extra: Option<String>,
    title: Option<String>,
    schema_extra: Option<Map<String, Value>>,
    populate_by_name: bool,
}

struct ModelDef<'a> {
    fields: Vec<FieldDef<'a>>,
    config: Config,
    doc: Option<String>,
    /// Validators or computed fields (here or inherited): an instance of this model cannot
    /// be computed statically.
    hooks: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Model,
    Enum,
}

struct Generator<'c, 'a> {
    ctx: &'c Ctx<'a>,
    defs: Map<String, Value>,
    def_owner: HashMap<String, ClassKey<'a>>,
    visiting: Vec<ClassKey<'a>>,
    models: HashMap<usize, Rc<ModelDef<'a>>>,
    depth: usize,
}

fn class_id(key: ClassKey<'_>) -> usize {
    key.1 as *const ast::StmtClassDef as usize
}

fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}

impl<'c, 'a> Generator<'c, 'a> {
    fn new(ctx: &'c Ctx<'a>) -> Self {
        Generator {
            ctx,
            defs: Map::new(),
            def_owner: HashMap::new(),
            visiting: Vec::new(),
            models: HashMap::new(),
            depth: 0,
        }
    }

    fn top_level(&mut self, key: ClassKey<'a>) -> R<Value> {
        if self.kind(key)? != Kind::Model {
            return unsupported(
                key.0,
                &key.1.name,
                "this class is not a pydantic `BaseModel`",
            );
        }
        self.visiting.push(key);
        let mut schema = self.model_schema(key)?;
        self.visiting.pop();
        if !self.defs.is_empty() {
            schema.insert(
                "$defs".into(),
                Value::Object(std::mem::take(&mut self.defs)),
            );
        }
        Ok(sort_schema(Value::Object(schema), None))
    }

    // ----- classes

    fn kind(&self, key: ClassKey<'a>) -> R<Kind> {
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

    /// Members of an enum class (aliases included, as `__members__`) and its docstring.
    fn enum_members(&self, key: ClassKey<'a>) -> R<EnumMembers> {
        let (module, class) = key;
        let arguments = class.arguments.as_deref();
        if !class.decorator_list.is_empty() || class.type_params.is_some() {
            return unsupported(module, &class.name, "a decorated or generic enum");
        }
        let mut mixin: Option<&str> = None;
        for base in arguments.map(|a| a.args.iter()).into_iter().flatten() {
            match self.ctx.resolve(module, base) {
                Sym::External(path) => match path.as_str() {
                    "builtins.str" | "enum.StrEnum" => mixin = Some("str"),
                    "builtins.int" | "enum.IntEnum" => mixin = Some("int"),
                    "enum.Enum" => {}
                    _ => return unsupported(module, base, "this enum base class"),
                },
                _ => return unsupported(module, base, "an enum that inherits from another class"),
            }
        }
        if arguments.is_some_and(|a| !a.keywords.is_empty()) {
            return unsupported(module, &class.name, "class keyword arguments");
        }
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut doc = None;
        for (index, stmt) in class.body.iter().enumerate() {
            match stmt {
                Stmt::Expr(e) if index == 0 && string_literal(&e.value).is_some() => {
                    doc = string_literal(&e.value);
                }
                Stmt::Expr(e)
                    if matches!(&*e.value, Expr::StringLiteral(_) | Expr::EllipsisLiteral(_)) => {}
                Stmt::Pass(_) | Stmt::FunctionDef(_) => {}
                Stmt::Assign(assign) if assign.targets.len() == 1 => {
                    let Expr::Name(name) = &assign.targets[0] else {
                        return unsupported(module, stmt, "this enum member");
                    };
                    if name.id.as_str().starts_with('_') {
                        return unsupported(module, stmt, "a private or special enum attribute");
                    }
                    let value = self.eval(module, &assign.value)?;
                    let ok = match (mixin, &value) {
                        (Some("str"), Value::String(_)) => true,
                        (Some("int"), Value::Number(n)) => n.is_i64() || n.is_u64(),
                        (None, Value::String(_) | Value::Number(_)) => true,
                        _ => false,
                    };
                    if !ok {
                        return unsupported(module, &*assign.value, "this enum member value");
                    }
                    // pydantic 2.4.2 lists `__members__`, aliases included
                    members.push((name.id.to_string(), value));
                }
                _ => return unsupported(module, stmt, "this statement in an enum"),
            }
        }
        if members.is_empty() {
            return unsupported(module, &class.name, "an enum without members");
        }
        Ok((members, doc))
    }

    fn enum_member(&self, key: ClassKey<'a>, member: &str, node: &'a Expr) -> R<Value> {
        let (module, class) = key;
        for stmt in &class.body {
            if let Stmt::Assign(assign) = stmt
                && let [Expr::Name(name)] = assign.targets.as_slice()
                && name.id.as_str() == member
            {
                let value = self.eval(module, &assign.value)?;
                // an alias has the value of the first member with that value: same JSON
                return Ok(value);
            }
        }
        unsupported(
            module,
            node,
            format!("`{}` is not a member of enum `{}`", member, class.name),
        )
    }

    fn model(&mut self, key: ClassKey<'a>) -> R<Rc<ModelDef<'a>>> {
        if let Some(model) = self.models.get(&class_id(key)) {
            return Ok(Rc::clone(model));
        }
        self.depth += 1;
        if self.depth > 32 {
            self.depth -= 1;
            return unsupported(key.0, &key.1.name, "model hierarchy too deep");
        }
        let result = self.build_model(key);
        self.depth -= 1;
        let model = Rc::new(result?);
        self.models.insert(class_id(key), Rc::clone(&model));
        Ok(model)
    }

    fn build_model(&mut self, key: ClassKey<'a>) -> R<ModelDef<'a>> {
        let (module, class) = key;
        if !class.decorator_list.is_empty() {
            return unsupported(
                module,
                &class.decorator_list[0],
                "a class decorator on a model",
            );
        }
        if class.type_params.is_some() {
            return unsupported(module, &class.name, "a generic model");
        }
        let Some(arguments) = class.arguments.as_deref() else {
            return unsupported(module, &class.name, "a class that is not a pydantic model");
        };
        let mut class_kwargs: Vec<(String, &'a Expr, Span)> = Vec::new();
        for keyword in arguments.keywords.iter() {
            let Some(arg) = &keyword.arg else {
                return unsupported(module, keyword, "`**kwargs` in a class definition");
            };
            class_kwargs.push((arg.to_string(), &keyword.value, span_of(keyword)));
        }
        if arguments.args.len() != 1 {
            return unsupported(module, &class.name, "a model with several base classes");
        }
        let base = &arguments.args[0];
        let (mut fields, mut config, mut hooks) = match self.ctx.resolve(module, base) {
            Sym::External(path) if path == "pydantic.BaseModel" => {
                (Vec::new(), Config::default(), false)
            }
            Sym::Class(parent) => {
                if self.kind(parent)? != Kind::Model {
                    return unsupported(
                        module,
                        base,
                        "a model that inherits from a non-model class",
                    );
                }
                if self.visiting.iter().any(|k| same_class(*k, parent)) {
                    return unsupported(module, base, "a recursive model");
                }
                let parent = self.model(parent)?;
                (parent.fields.clone(), parent.config.clone(), parent.hooks)
            }
            _ => return unsupported(module, base, "this base class of a model"),
        };
        let mut doc = None;
        let mut has_model_config = false;
        for (index, stmt) in class.body.iter().enumerate() {
            match stmt {
                Stmt::Expr(e) if index == 0 && string_literal(&e.value).is_some() => {
                    doc = string_literal(&e.value);
                }
                Stmt::Expr(e)
                    if matches!(&*e.value, Expr::StringLiteral(_) | Expr::EllipsisLiteral(_)) => {}
                Stmt::Pass(_) => {}
                Stmt::AnnAssign(assign) => {
                    let Expr::Name(name) = &*assign.target else {
                        return unsupported(module, stmt, "this annotated assignment in a model");
                    };
                    let name = name.id.as_str();
                    if name == "model_config" {
                        if has_model_config {
                            return unsupported(
                                module,
                                stmt,
                                "both `class Config` and `model_config`",
                            );
                        }
                        has_model_config = true;
                        match &assign.value {
                            Some(value) => self.config(module, value, &mut config)?,
                            None => {
                                return unsupported(
                                    module,
                                    stmt,
                                    "a `model_config` without a value",
                                );
                            }
                        }
                        continue;
                    }
                    if name.starts_with('_') || self.is_class_var(module, &assign.annotation) {
                        continue;
                    }
                    let (ty, annotated) = self.annotation(module, &assign.annotation)?;
                    let mut info = annotated.unwrap_or_default();
                    if let Some(value) = &assign.value {
                        let assigned = match &**value {
                            Expr::Call(call) if self.is_field_call(module, &call.func) => {
                                self.field_call(module, call)?
                            }
                            other => FieldInfo {
                                default: Some(other),
                                ..FieldInfo::default()
                            },
                        };
                        info = info.merge(assigned);
                    }
                    let field = FieldDef {
                        name: name.to_string(),
                        key: info.alias.clone().unwrap_or_else(|| name.to_string()),
                        ty,
                        info,
                        module,
                        span: span_of(stmt),
                    };
                    match fields.iter_mut().find(|f| f.name == field.name) {
                        Some(existing) => *existing = field,
                        None => fields.push(field),
                    }
                }
                Stmt::Assign(assign) => {
                    let [Expr::Name(name)] = assign.targets.as_slice() else {
                        return unsupported(module, stmt, "this assignment in a model");
                    };
                    if name.id.as_str() == "model_config" {
                        if has_model_config {
                            return unsupported(
                                module,
                                stmt,
                                "both `class Config` and `model_config`",
                            );
                        }
                        has_model_config = true;
                        self.config(module, &assign.value, &mut config)?;
                    } else if !name.id.as_str().starts_with('_') {
                        return unsupported(module, stmt, "a non-annotated attribute in a model");
                    }
                }
                Stmt::FunctionDef(function) => hooks |= self.check_method(module, function)?,
                Stmt::ClassDef(nested) if nested.name.as_str() == "Config" => {
                    if has_model_config {
                        return unsupported(module, stmt, "both `class Config` and `model_config`");
                    }
                    has_model_config = true;
                    self.class_config(module, nested, &mut config)?;
                }
                Stmt::ClassDef(_) => {
                    return unsupported(module, stmt, "a nested class in a model");
                }
                _ => return unsupported(module, stmt, "this statement in a model"),
            }
        }
        // class keyword arguments are configuration too, applied last
        self.apply_config(module, class_kwargs, &mut config)?;
        Ok(ModelDef {
            fields,
            config,
            doc,
            hooks,
        })
    }

    fn is_class_var(&self, module: usize, annotation: &'a Expr) -> bool {
        let base = match annotation {
            Expr::Subscript(subscript) => &*subscript.value,
            other => other,
        };
        self.ctx.external_path(module, base).as_deref() == Some("typing.ClassVar")
    }

    /// Rejects methods that may change the schema; `true` for validators and computed
    /// fields, which run (or serialize) when an instance is created.
    fn check_method(&self, module: usize, function: &'a ast::StmtFunctionDef) -> R<bool> {
        let name = function.name.as_str();
        if name.starts_with("__get_pydantic_")
            || matches!(
                name,
                "model_json_schema"
                    | "model_post_init"
                    | "__init__"
                    | "__new__"
                    | "__init_subclass__"
            )
        {
            return unsupported(
                module,
                &function.name,
                format!("a custom `{name}` that may change the schema"),
            );
        }
        let mut hook = false;
        for decorator in &function.decorator_list {
            let target = match &decorator.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            let path = self.ctx.external_path(module, target).unwrap_or_default();
            let allowed = matches!(
                path.as_str(),
                "pydantic.field_validator"
                    | "pydantic.validator"
                    | "pydantic.model_validator"
                    | "pydantic.root_validator"
                    | "pydantic.computed_field"
                    | "builtins.classmethod"
                    | "builtins.staticmethod"
                    | "builtins.property"
            ) || matches!(
                target,
                Expr::Name(n) if matches!(n.id.as_str(), "classmethod" | "staticmethod" | "property")
            );
            if !allowed {
                return unsupported(module, decorator, "this method decorator in a model");
            }
            hook |= path.starts_with("pydantic.");
        }
        Ok(hook)
    }

    fn is_field_call(&self, module: usize, func: &'a Expr) -> bool {
        self.ctx.external_path(module, func).as_deref() == Some("pydantic.Field")
    }

    fn field_call(&self, module: usize, call: &'a ast::ExprCall) -> R<FieldInfo<'a>> {
        let mut info = FieldInfo::default();
        let mut legacy = Map::new();
        let mut legacy_lengths: Vec<(&str, Value, Span)> = Vec::new();
        let arguments = &call.arguments;
        if arguments.args.len() > 1 {
            return unsupported(
                module,
                &arguments.args[1],
                "more than one positional argument to `Field`",
            );
        }
        if let Some(first) = arguments.args.first() {
            if matches!(first, Expr::Starred(_)) {
                return unsupported(module, first, "`*args` in `Field`");
            }
            if !matches!(first, Expr::EllipsisLiteral(_)) {
                info.default = Some(first);
            }
        }
        for keyword in arguments.keywords.iter() {
            let Some(arg) = &keyword.arg else {
                return unsupported(module, keyword, "`**kwargs` in `Field`");
            };
            let value = &keyword.value;
            match arg.as_str() {
                "default" => {
                    info.default = if matches!(value, Expr::EllipsisLiteral(_)) {
                        None
                    } else {
                        Some(value)
                    }
                }
                "default_factory" => info.factory = Some(value),
                "alias" | "title" | "description" => {
                    let text = match self.eval(module, value)? {
                        Value::String(s) => Some(s),
                        Value::Null => None,
                        _ => return unsupported(module, value, format!("a non-string `{arg}`")),
                    };
                    match arg.as_str() {
                        "alias" => info.alias = text,
                        "title" => info.title = text,
                        _ => info.description = text,
                    }
                }
                "examples" => {
                    let examples = self.eval(module, value)?;
                    info.examples = (!examples.is_null()).then_some(examples);
                }
                "json_schema_extra" => match value {
                    Expr::Name(_)
                        if !matches!(self.ctx.resolve(module, value), Sym::Constant(..)) =>
                    {
                        return unsupported(module, value, "a callable `json_schema_extra`");
                    }
                    Expr::Dict(_) | Expr::Name(_) | Expr::NoneLiteral(_) => {
                        match self.eval(module, value)? {
                            Value::Object(map) => info.extra = Some(map),
                            Value::Null => {}
                            _ => {
                                return unsupported(
                                    module,
                                    value,
                                    "a `json_schema_extra` that is not a dict",
                                );
                            }
                        }
                    }
                    _ => {
                        return unsupported(
                            module,
                            value,
                            "a `json_schema_extra` that is not a dict literal",
                        );
                    }
                },
                "gt" | "ge" | "lt" | "le" | "multiple_of" | "min_length" | "max_length"
                | "pattern" => {
                    let evaluated = self.eval(module, value)?;
                    let ok = match arg.as_str() {
                        "pattern" => evaluated.is_string(),
                        "min_length" | "max_length" => evaluated.is_u64(),
                        _ => evaluated.is_number(),
                    };
                    if !ok {
                        return unsupported(module, value, format!("this `{arg}` value"));
                    }
                    let key: &'static str = match arg.as_str() {
                        "gt" => "gt",
                        "ge" => "ge",
                        "lt" => "lt",
                        "le" => "le",
                        "multiple_of" => "multiple_of",
                        "min_length" => "min_length",
                        "max_length" => "max_length",
                        _ => "pattern",
                    };
                    info.constraints.retain(|(k, _, _)| *k != key);
                    info.constraints.push((key, evaluated, span_of(keyword)));
                }
                "repr" | "frozen" | "strict" | "validate_default" | "allow_mutation"
                | "include" => {}
                "min_items" | "max_items" => {
                    let evaluated = self.eval(module, value)?;
                    if !evaluated.is_null() {
                        if !evaluated.is_u64() {
                            return unsupported(module, value, format!("this `{arg}` value"));
                        }
                        legacy_lengths.push((arg.as_str(), evaluated, span_of(keyword)));
                    }
                }
                "alias_priority"
                | "validation_alias"
                | "serialization_alias"
                | "exclude"
                | "discriminator"
                | "init_var"
                | "kw_only"
                | "allow_inf_nan"
                | "max_digits"
                | "decimal_places"
                | "union_mode"
                | "const"
                | "unique_items"
                | "regex" => {
                    return unsupported(module, keyword, format!("the `Field` argument `{arg}`"));
                }
                other => {
                    // deprecated extra keywords: the JSON schema extra unless one is given
                    legacy.insert(other.to_string(), self.eval(module, value)?);
                }
            }
        }
        if !legacy.is_empty() && info.extra.as_ref().is_none_or(Map::is_empty) {
            info.extra = Some(legacy);
        }
        for (arg, value, span) in legacy_lengths {
            let key = if arg == "min_items" {
                "min_length"
            } else {
                "max_length"
            };
            if !info.constraints.iter().any(|(k, _, _)| *k == key) {
                info.constraints.push((key, value, span));
            }
        }
        if info.default.is_some() && info.factory.is_some() {
            return unsupported(module, call, "both `default` and `default_factory`");
        }
        Ok(info)
    }

    fn config(&self, module: usize, expr: &'a Expr, config: &mut Config) -> R<()> {
        let mut entries: Vec<(String, &'a Expr, Span)> = Vec::new();
        match expr {
            Expr::Call(call)
                if self.ctx.external_path(module, &call.func).as_deref()
                    == Some("pydantic.ConfigDict") =>
            {
                if let Some(arg) = call.arguments.args.first() {
                    return unsupported(module, arg, "positional arguments to `ConfigDict`");
                }
                for keyword in call.arguments.keywords.iter() {
                    let Some(arg) = &keyword.arg else {
                        return unsupported(module, keyword, "`**kwargs` in `ConfigDict`");
                    };
                    entries.push((arg.to_string(), &keyword.value, span_of(keyword)));
                }
            }
            Expr::Dict(dict) => {
                for item in &dict.items {
                    let Some(key) = item.key.as_ref().and_then(string_literal) else {
                        return unsupported(module, &item.value, "this `model_config` entry");
                    };
                    entries.push((key, &item.value, span_of(&item.value)));
                }
            }
            _ => {
                return unsupported(
                    module,
                    expr,
                    "a `model_config` that is not `ConfigDict(...)`",
                );
            }
        }
        self.apply_config(module, entries, config)
    }

    /// A pydantic v1 style `class Config:` (still read by pydantic 2.4.2).
    fn class_config(
        &self,
        module: usize,
        class: &'a ast::StmtClassDef,
        config: &mut Config,
    ) -> R<()> {
        if class
            .arguments
            .as_ref()
            .is_some_and(|a| !a.args.is_empty() || !a.keywords.is_empty())
            || !class.decorator_list.is_empty()
        {
            return unsupported(module, &class.name, "this `class Config`");
        }
        let mut entries: Vec<(String, &'a Expr, Span)> = Vec::new();
        for (index, stmt) in class.body.iter().enumerate() {
            match stmt {
                Stmt::Expr(e) if index == 0 && string_literal(&e.value).is_some() => {}
                Stmt::Pass(_) => {}
                Stmt::Assign(assign) => {
                    let [Expr::Name(name)] = assign.targets.as_slice() else {
                        return unsupported(module, stmt, "this statement in `class Config`");
                    };
                    entries.push((name.id.to_string(), &assign.value, span_of(stmt)));
                }
                _ => return unsupported(module, stmt, "this statement in `class Config`"),
            }
        }
        self.apply_config(module, entries, config)
    }

    fn apply_config(
        &self,
        module: usize,
        entries: Vec<(String, &'a Expr, Span)>,
        config: &mut Config,
    ) -> R<()> {
        for (key, value, span) in entries {
            let err = |what: String| Unsupported { module, span, what };
            match key.as_str() {
                "extra" => match self.config_value(module, value)? {
                    Value::String(s) if matches!(s.as_str(), "allow" | "forbid" | "ignore") => {
                        config.extra = Some(s)
                    }
                    _ => return Err(err("this `extra` value".into())),
                },
                "title" => match self.eval(module, value)? {
                    Value::String(s) => config.title = Some(s),
                    Value::Null => config.title = None,
                    _ => return Err(err("a non-string model title".into())),
                },
                "json_schema_extra" => match value {
                    Expr::Dict(_) | Expr::Name(_) => match self.eval(module, value)? {
                        Value::Object(map) => config.schema_extra = Some(map),
                        _ => return Err(err("a `json_schema_extra` that is not a dict".into())),
                    },
                    _ => {
                        return Err(err(
                            "a `json_schema_extra` that is not a dict literal".into()
                        ));
                    }
                },
                "populate_by_name" => match self.eval(module, value)? {
                    Value::Bool(b) => config.populate_by_name = b,
                    _ => return Err(err("a non-bool `populate_by_name`".into())),
                },
                "frozen"
                | "validate_assignment"
                | "arbitrary_types_allowed"
                | "use_enum_values"
                | "protected_namespaces"
                | "validate_default"
                | "revalidate_instances" => {}
                // pydantic v1 keys: 2.4.2 only warns that they were renamed or removed
                "allow_population_by_field_name"
                | "anystr_lower"
                | "anystr_strip_whitespace"
                | "anystr_upper"
                | "keep_untouched"
                | "max_anystr_length"
                | "min_anystr_length"
                | "orm_mode"
                | "schema_extra"
                | "validate_all"
                | "allow_mutation"
                | "error_msg_templates"
                | "fields"
                | "getter_dict"
                | "smart_union"
                | "underscore_attrs_are_private"
                | "json_loads"
                | "json_dumps"
                | "copy_on_model_validation"
                | "post_init_call" => {}
                other => return Err(err(format!("the model configuration `{other}`"))),
            }
        }
        Ok(())
    }

    /// A configuration value; the deprecated `pydantic.Extra.allow` is its string value.
    fn config_value(&self, module: usize, value: &'a Expr) -> R<Value> {
        if let Expr::Attribute(attribute) = value
            && self.ctx.external_path(module, &attribute.value).as_deref() == Some("pydantic.Extra")
        {
            return Ok(json!(attribute.attr.as_str()));
        }
        self.eval(module, value)
    }

    // ----- annotations

    /// The type of a field annotation, with the `Field(...)` of a top-level `Annotated`.
    fn annotation(&self, module: usize, expr: &'a Expr) -> R<(Ty<'a>, Option<FieldInfo<'a>>)> {
        if let Expr::Subscript(subscript) = expr
            && self.ctx.external_path(module, &subscript.value).as_deref()
                == Some("typing.Annotated")
        {
            let Expr::Tuple(tuple) = &*subscript.slice else {
                return unsupported(module, expr, "`Annotated` without metadata");
            };
            let Some((first, rest)) = tuple.elts.split_first() else {
                return unsupported(module, expr, "`Annotated` without a type");
            };
            let ty = self.ty(module, first)?;
            let mut info = FieldInfo::default();
            for metadata in rest {
                match metadata {
                    Expr::Call(call) if self.is_field_call(module, &call.func) => {
                        info = info.merge(self.field_call(module, call)?);
                    }
                    _ => return unsupported(module, metadata, "this `Annotated` metadata"),
                }
            }
            return Ok((ty, Some(info)));
        }
        Ok((self.ty(module, expr)?, None))
    }

    fn ty(&self, module: usize, expr: &'a Expr) -> R<Ty<'a>> {
        match expr {
            Expr::NoneLiteral(_) => Ok(Ty::NoneT),
            Expr::BinOp(binop) if binop.op == Operator::BitOr => {
                let left = self.ty(module, &binop.left)?;
                let right = self.ty(module, &binop.right)?;
                Ok(make_union(vec![left, right]))
            }
            Expr::Name(_) | Expr::Attribute(_) => match self.ctx.resolve(module, expr) {
                Sym::Class(key) => match self.kind(key)? {
                    Kind::Model => Ok(Ty::Model(key)),
                    Kind::Enum => Ok(Ty::Enum(key)),
                },
                Sym::External(path) => {
                    let ty = match path.as_str() {
                        "builtins.str" => Ty::Str,
                        "builtins.int" => Ty::Int,
                        "builtins.float" => Ty::Float,
                        "builtins.bool" => Ty::Bool,
                        "typing.Any" => Ty::Any,
                        "builtins.list" | "typing.List" => Ty::List(Box::new(Ty::Any)),
                        "builtins.dict" | "typing.Dict" => {
                            Ty::Dict(Box::new(Ty::Any), Box::new(Ty::Any))
                        }
                        "builtins.set" | "typing.Set" | "builtins.frozenset"
                        | "typing.FrozenSet" => Ty::Set(Box::new(Ty::Any)),
                        "datetime.date" => Ty::Format("date"),
                        "datetime.datetime" => Ty::Format("date-time"),
                        "datetime.time" => Ty::Format("time"),
                        "pydantic.FilePath" => Ty::Format("file-path"),
                        "pydantic.DirectoryPath" => Ty::Format("directory-path"),
                        "pathlib.Path" => Ty::Format("path"),
                        "uuid.UUID" => Ty::Format("uuid"),
                        "builtins.bytes" => Ty::Format("binary"),
                        "datetime.timedelta" => Ty::Format("duration"),
                        "pydantic.SecretStr" => Ty::Secret,
                        "builtins.tuple" | "typing.Tuple" => Ty::Tuple(Box::new(Ty::Any)),
                        _ => return unsupported(module, expr, format!("the type `{path}`")),
                    };
                    Ok(ty)
                }
                _ => unsupported(module, expr, "this type annotation"),
            },
            Expr::Subscript(subscript) => {
                let Some(path) = self.ctx.external_path(module, &subscript.value) else {
                    return unsupported(module, expr, "this generic type");
                };
                let args: Vec<&'a Expr> = match &*subscript.slice {
                    Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                    other => vec![other],
                };
                let one = |this: &Self| -> R<Ty<'a>> {
                    if args.len() != 1 {
                        return unsupported(module, expr, "a wrong number of type arguments");
                    }
                    this.ty(module, args[0])
                };
                match path.as_str() {
                    "builtins.list" | "typing.List" => Ok(Ty::List(Box::new(one(self)?))),
                    "builtins.set" | "typing.Set" | "builtins.frozenset" | "typing.FrozenSet" => {
                        Ok(Ty::Set(Box::new(one(self)?)))
                    }
                    "builtins.tuple" | "typing.Tuple" => match args.as_slice() {
                        [item, Expr::EllipsisLiteral(_)] => {
                            Ok(Ty::Tuple(Box::new(self.ty(module, item)?)))
                        }
                        _ => unsupported(module, expr, "a fixed-length tuple"),
                    },
                    "builtins.dict" | "typing.Dict" => match args.as_slice() {
                        [k, v] => Ok(Ty::Dict(
                            Box::new(self.ty(module, k)?),
                            Box::new(self.ty(module, v)?),
                        )),
                        _ => unsupported(module, expr, "a wrong number of type arguments"),
                    },
                    "typing.Optional" => Ok(make_union(vec![one(self)?, Ty::NoneT])),
                    "typing.Union" => {
                        let members = args
                            .iter()
                            .map(|a| self.ty(module, a))
                            .collect::<R<Vec<_>>>()?;
                        Ok(make_union(members))
                    }
                    "typing.Literal" => {
                        let mut values = Vec::new();
                        for arg in &args {
                            match arg {
                                Expr::StringLiteral(_)
                                | Expr::NumberLiteral(_)
                                | Expr::BooleanLiteral(_)
                                | Expr::NoneLiteral(_)
                                | Expr::UnaryOp(_) => {
                                    let value = self.eval(module, arg)?;
                                    if value.is_f64() || (value.is_null() && args.len() == 1) {
                                        return unsupported(module, *arg, "this `Literal` value");
                                    }
                                    if !values.contains(&value) {
                                        values.push(value);
                                    }
                                }
                                _ => return unsupported(module, *arg, "this `Literal` value"),
                            }
                        }
                        Ok(Ty::Literal(values))
                    }
                    _ => unsupported(module, expr, format!("the generic type `{path}`")),
                }
            }
            Expr::StringLiteral(_) => {
                unsupported(module, expr, "a string (forward reference) annotation")
            }
            _ => unsupported(module, expr, "this type annotation"),
        }
    }

    // ----- values

    /// A Python expression evaluated to its JSON-mode value (`to_jsonable_python`).
    fn eval(&self, module: usize, expr: &'a Expr) -> R<Value> {
        self.eval_depth(module, expr, 0)
    }

    fn eval_depth(&self, module: usize, expr: &'a Expr, depth: usize) -> R<Value> {
        if depth > 64 {
            return unsupported(module, expr, "a value nested too deeply");
        }
        let d = depth + 1;
        match expr {
            Expr::StringLiteral(s) => Ok(Value::String(s.value.to_str().to_string())),
            Expr::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
            Expr::NoneLiteral(_) => Ok(Value::Null),
            Expr::NumberLiteral(number) => match &number.value {
                Number::Int(int) => match int.as_i64() {
                    Some(i) => Ok(json!(i)),
                    None => unsupported(module, expr, "an integer this large"),
                },
                Number::Float(f) => float(module, expr, *f),
                Number::Complex { .. } => unsupported(module, expr, "a complex number"),
            },
            Expr::UnaryOp(unary) => {
                let value = self.eval_depth(module, &unary.operand, d)?;
                match (unary.op, &value) {
                    (UnaryOp::UAdd, Value::Number(_)) => Ok(value),
                    (UnaryOp::USub, Value::Number(n)) => {
                        if let Some(i) = n.as_i64() {
                            match i.checked_neg() {
                                Some(v) => Ok(json!(v)),
                                None => unsupported(module, expr, "an integer this large"),
                            }
                        } else {
                            float(module, expr, -n.as_f64().unwrap_or(f64::NAN))
                        }
                    }
                    _ => unsupported(module, expr, "this unary operation"),
                }
            }
            Expr::BinOp(binop) => {
                let left = self.eval_depth(module, &binop.left, d)?;
                let right = self.eval_depth(module, &binop.right, d)?;
                binary(module, expr, binop.op, left, right)
            }
            Expr::List(list) => list
                .elts
                .iter()
                .map(|e| self.eval_depth(module, e, d))
                .collect::<R<Vec<_>>>()
                .map(Value::Array),
            Expr::Tuple(tuple) => tuple
                .elts
                .iter()
                .map(|e| self.eval_depth(module, e, d))
                .collect::<R<Vec<_>>>()
                .map(Value::Array),
            Expr::Set(set) if set.elts.len() <= 1 => set
                .elts
                .iter()
                .map(|e| self.eval_depth(module, e, d))
                .collect::<R<Vec<_>>>()
                .map(Value::Array),
            Expr::Set(_) => unsupported(
                module,
                expr,
                "a set with several items (its order is not fixed)",
            ),
            Expr::Dict(dict) => {
                let mut map = Map::new();
                for item in &dict.items {
                    let Some(key) = &item.key else {
                        return unsupported(module, &item.value, "`**` in a dict");
                    };
                    let Value::String(key) = self.eval_depth(module, key, d)? else {
                        return unsupported(module, key, "a dict key that is not a string");
                    };
                    let value = self.eval_depth(module, &item.value, d)?;
                    map.insert(key, value);
                }
                Ok(Value::Object(map))
            }
            Expr::Name(_) => match self.ctx.resolve(module, expr) {
                Sym::Constant(m, value) => self.eval_depth(m, value, d),
                _ => unsupported(module, expr, "this name as a value"),
            },
            Expr::Attribute(attribute) => {
                // Enum.member and Enum.member.value
                let (target, member) = match &*attribute.value {
                    Expr::Attribute(inner) if attribute.attr.as_str() == "value" => {
                        (&*inner.value, inner.attr.as_str())
                    }
                    _ => (&*attribute.value, attribute.attr.as_str()),
                };
                match self.ctx.resolve(module, target) {
                    Sym::Class(key) if self.kind(key)? == Kind::Enum => {
                        self.enum_member(key, member, expr)
                    }
                    _ => unsupported(module, expr, "this attribute as a value"),
                }
            }
            Expr::Call(call) => self.eval_call(module, call, d),
            _ => unsupported(module, expr, "this expression as a value"),
        }
    }

    fn eval_call(&self, module: usize, call: &'a ast::ExprCall, depth: usize) -> R<Value> {
        let arguments = &call.arguments;
        match self.ctx.resolve(module, &call.func) {
            Sym::Class(key) if self.kind(key)? == Kind::Model => {
                if let Some(arg) = arguments.args.first() {
                    return unsupported(module, arg, "positional arguments to a model");
                }
                let mut given = Map::new();
                for keyword in arguments.keywords.iter() {
                    let Some(arg) = &keyword.arg else {
                        return unsupported(module, keyword, "`**kwargs` in a model instance");
                    };
                    given.insert(
                        arg.to_string(),
                        self.eval_depth(module, &keyword.value, depth)?,
                    );
                }
                self.validate_model(key, given, module, call)
            }
            Sym::External(path) => {
                let no_args = arguments.args.is_empty() && arguments.keywords.is_empty();
                match path.as_str() {
                    "builtins.list" | "builtins.set" | "builtins.tuple" | "builtins.frozenset"
                        if no_args =>
                    {
                        Ok(json!([]))
                    }
                    "builtins.dict" if no_args => Ok(json!({})),
                    "datetime.date" | "datetime.datetime" | "datetime.time" => {
                        self.eval_datetime(module, call, &path, depth)
                    }
                    _ => unsupported(module, call, "a value computed by a function call"),
                }
            }
            _ => unsupported(module, call, "a value computed by a function call"),
        }
    }

    fn eval_datetime(
        &self,
        module: usize,
        call: &'a ast::ExprCall,
        path: &str,
        depth: usize,
    ) -> R<Value> {
        let names: &[&str] = match path {
            "datetime.date" => &["year", "month", "day"],
            "datetime.datetime" => &[
                "year",
                "month",
                "day",
                "hour",
                "minute",
                "second",
                "microsecond",
            ],
            _ => &["hour", "minute", "second", "microsecond"],
        };
        let mut values: Vec<Option<i64>> = vec![None; names.len()];
        let arguments = &call.arguments;
        if arguments.args.len() > names.len() {
            return unsupported(module, call, "this date/time call");
        }
        for (i, arg) in arguments.args.iter().enumerate() {
            values[i] = self.eval_depth(module, arg, depth)?.as_i64();
            if values[i].is_none() {
                return unsupported(module, arg, "this date/time argument");
            }
        }
        for keyword in arguments.keywords.iter() {
            let Some(index) = keyword
                .arg
                .as_ref()
                .and_then(|a| names.iter().position(|n| *n == a.as_str()))
            else {
                return unsupported(module, keyword, "this date/time argument");
            };
            values[index] = self.eval_depth(module, &keyword.value, depth)?.as_i64();
            if values[index].is_none() {
                return unsupported(module, keyword, "this date/time argument");
            }
        }
        let bad = || unsupported(module, call, "an invalid date/time");
        let time_part = |v: &[Option<i64>]| -> Option<String> {
            let h = v[0].unwrap_or(0);
            let mi = v[1].unwrap_or(0);
            let s = v[2].unwrap_or(0);
            let us = v[3].unwrap_or(0);
            if !(0..24).contains(&h)
                || !(0..60).contains(&mi)
                || !(0..60).contains(&s)
                || !(0..1_000_000).contains(&us)
            {
                return None;
            }
            let mut text = format!("{h:02}:{mi:02}:{s:02}");
            if us != 0 {
                text.push_str(&format!(".{us:06}"));
            }
            Some(text)
        };
        let date_part = |v: &[Option<i64>]| -> Option<String> {
            let (y, m, d) = (v[0]?, v[1]?, v[2]?);
            if !(1..=9999).contains(&y) || !(1..=12).contains(&m) {
                return None;
            }
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            if d < 1 || d > days[(m - 1) as usize] {
                return None;
            }
            Some(format!("{y:04}-{m:02}-{d:02}"))
        };
        let text = match path {
            "datetime.date" => date_part(&values),
            "datetime.datetime" => match (date_part(&values[..3]), time_part(&values[3..])) {
                (Some(date), Some(time)) => Some(format!("{date}T{time}")),
                _ => None,
            },
            _ => time_part(&values),
        };
        match text {
            Some(text) => Ok(Value::String(text)),
            None => bad(),
        }
    }

    /// A model instance validated from keyword values, serialized in JSON mode.
    fn validate_model(
        &self,
        key: ClassKey<'a>,
        given: Map<String, Value>,
        module: usize,
        node: &'a ast::ExprCall,
    ) -> R<Value> {
        // model definitions are built lazily through a fresh generator (no defs needed)
        let model = {
            let mut scratch = Generator::new(self.ctx);
            scratch.visiting = self.visiting.clone();
            scratch.depth = self.depth;
            scratch.model(key)?
        };
        self.validate_with(&model, given, module, node)
    }

    fn validate_with(
        &self,
        model: &ModelDef<'a>,
        mut given: Map<String, Value>,
        module: usize,
        node: &'a ast::ExprCall,
    ) -> R<Value> {
        if model.hooks {
            return unsupported(
                module,
                node,
                "an instance of a model with validators or computed fields (they run when it is created)",
            );
        }
        let mut out = Map::new();
        for field in &model.fields {
            let provided = given.remove(&field.key).or_else(|| {
                (model.config.populate_by_name || field.key == field.name)
                    .then(|| given.remove(&field.name))
                    .flatten()
            });
            let value = match provided {
                Some(value) => self.coerce(value, &field.ty, module, node)?,
                None => {
                    if let Some(default) = field.info.default {
                        let value = self.eval(field.module, default)?;
                        serialize_unvalidated(value, &field.ty, module, span_of(node))?
                    } else if let Some(factory) = field.info.factory {
                        let value = self.eval_factory(field.module, factory)?;
                        serialize_unvalidated(value, &field.ty, module, span_of(node))?
                    } else {
                        return unsupported(
                            module,
                            node,
                            format!(
                                "a model instance without the required field `{}`",
                                field.key
                            ),
                        );
                    }
                }
            };
            out.insert(field.key.clone(), value);
        }
        if let Some(extra) = given.keys().next() {
            return unsupported(
                module,
                node,
                format!("the unknown field `{extra}` in a model instance"),
            );
        }
        Ok(Value::Object(out))
    }

    fn eval_factory(&self, module: usize, factory: &'a Expr) -> R<Value> {
        match self.ctx.resolve(module, factory) {
            Sym::External(path) => match path.as_str() {
                "builtins.list" | "builtins.set" | "builtins.tuple" | "builtins.frozenset" => {
                    Ok(json!([]))
                }
                "builtins.dict" => Ok(json!({})),
                _ => unsupported(module, factory, "this `default_factory`"),
            },
            Sym::Class(key) if self.kind(key)? == Kind::Model => {
                let model = {
                    let mut scratch = Generator::new(self.ctx);
                    scratch.model(key)?
                };
                if !matches!(factory, Expr::Name(_) | Expr::Attribute(_)) || model.hooks {
                    return unsupported(module, factory, "this `default_factory`");
                }
                let mut out = Map::new();
                for field in &model.fields {
                    let value = if let Some(default) = field.info.default {
                        let value = self.eval(field.module, default)?;
                        serialize_unvalidated(value, &field.ty, module, span_of(factory))?
                    } else if let Some(factory) = field.info.factory {
                        let value = self.eval_factory(field.module, factory)?;
                        serialize_unvalidated(value, &field.ty, module, span_of(factory))?
                    } else {
                        return unsupported(
                            module,
                            factory,
                            "a `default_factory` model with required fields",
                        );
                    };
                    out.insert(field.key.clone(), value);
                }
                Ok(Value::Object(out))
            }
            _ => unsupported(module, factory, "this `default_factory`"),
        }
    }

    /// Lax-mode validation of an already evaluated value against a field type, as
    /// pydantic does when a model instance is created.
    fn coerce(
        &self,
        value: Value,
        ty: &Ty<'a>,
        module: usize,
        node: &'a ast::ExprCall,
    ) -> R<Value> {
        let mismatch = || {
            unsupported(
                module,
                node,
                "a model instance whose values need conversion",
            )
        };
        match ty {
            Ty::Any => Ok(value),
            Ty::Str | Ty::Format(_) if value.is_string() => Ok(value),
            Ty::Bool if value.is_boolean() => Ok(value),
            Ty::NoneT if value.is_null() => Ok(value),
            Ty::Int if value.is_i64() || value.is_u64() => Ok(value),
            Ty::Float if value.is_f64() => Ok(value),
            Ty::Float if value.is_i64() => Ok(json!(value.as_i64().unwrap_or_default() as f64)),
            Ty::Set(_) if value.as_array().is_some_and(|items| items.len() > 1) => unsupported(
                module,
                node,
                "a model instance with a set of several items (its order is not fixed)",
            ),
            Ty::List(item) | Ty::Set(item) | Ty::Tuple(item) => match value {
                Value::Array(items) => items
                    .into_iter()
                    .map(|v| self.coerce(v, item, module, node))
                    .collect::<R<Vec<_>>>()
                    .map(Value::Array),
                _ => mismatch(),
            },
            Ty::Dict(_, item) => match value {
                Value::Object(map) => {
                    let mut out = Map::new();
                    for (k, v) in map {
                        out.insert(k, self.coerce(v, item, module, node)?);
                    }
                    Ok(Value::Object(out))
                }
                _ => mismatch(),
            },
            Ty::Literal(values) if values.contains(&value) => Ok(value),
            Ty::Enum(key) => {
                let (members, _) = self.enum_members(*key)?;
                if members.iter().any(|(_, v)| *v == value) {
                    Ok(value)
                } else {
                    mismatch()
                }
            }
            Ty::Model(key) => match value {
                Value::Object(map) => self.validate_model(*key, map, module, node),
                _ => mismatch(),
            },
            Ty::Union(members) => {
                if value.is_null() && members.contains(&Ty::NoneT) {
                    return Ok(value);
                }
                let non_null: Vec<&Ty<'a>> = members.iter().filter(|m| **m != Ty::NoneT).collect();
                if non_null.len() == 1 {
                    return self.coerce(value, non_null[0], module, node);
                }
                // Smart-mode unions validate strictly in member order and serialize by
                // member type: only the cases whose JSON is certain are computed (a bool,
                // for one, serializes as 1 when `int` comes first).
                for member in non_null {
                    let (claims, exact) = match member {
                        Ty::Str => (value.is_string(), true),
                        Ty::Int => (value.is_i64() || value.is_u64(), true),
                        Ty::Float => (value.is_number(), value.is_f64()),
                        Ty::Bool => (value.is_boolean() || value.is_number(), false),
                        Ty::Any => (true, true),
                        Ty::Literal(values) => (values.contains(&value), true),
                        Ty::List(item) => (value.is_array(), **item == Ty::Any),
                        Ty::Dict(_, item) => (value.is_object(), **item == Ty::Any),
                        Ty::Format(_) => (value.is_string(), true),
                        Ty::Set(_) | Ty::Tuple(_) => (value.is_array(), false),
                        Ty::Model(_) | Ty::Enum(_) | Ty::Secret => (true, false),
                        Ty::NoneT | Ty::Union(_) => (false, false),
                    };
                    if claims {
                        if exact && !value.is_boolean() {
                            return Ok(value);
                        }
                        break;
                    }
                }
                mismatch()
            }
            _ => mismatch(),
        }
    }

    // ----- JSON schema

    fn model_schema(&mut self, key: ClassKey<'a>) -> R<Map<String, Value>> {
        let model = self.model(key)?;
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in &model.fields {
            let schema = self.field_schema(field)?;
            properties.insert(field.key.clone(), Value::Object(schema));
            if field.info.default.is_none() && field.info.factory.is_none() {
                required.push(Value::String(field.key.clone()));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        schema.insert(
            "title".into(),
            json!(
                model
                    .config
                    .title
                    .clone()
                    .unwrap_or_else(|| key.1.name.to_string())
            ),
        );
        if let Some(doc) = &model.doc {
            schema.insert("description".into(), json!(cleandoc(doc)));
        }
        match model.config.extra.as_deref() {
            Some("allow") => {
                schema.insert("additionalProperties".into(), json!(true));
            }
            Some("forbid") => {
                schema.insert("additionalProperties".into(), json!(false));
            }
            _ => {}
        }
        if let Some(extra) = &model.config.schema_extra {
            for (k, v) in extra {
                schema.insert(k.clone(), v.clone());
            }
        }
        Ok(schema)
    }

    fn def_ref(
        &mut self,
        key: ClassKey<'a>,
        kind: Kind,
        node: &Span,
        module: usize,
    ) -> R<Map<String, Value>> {
        let name = key.1.name.to_string();
        if let Some(owner) = self.def_owner.get(&name) {
            if !same_class(*owner, key) {
                return Err(Unsupported {
                    module,
                    span: *node,
                    what: format!("two different classes named `{name}` in one schema"),
                });
            }
        } else {
            if self.visiting.iter().any(|k| same_class(*k, key)) {
                return Err(Unsupported {
                    module,
                    span: *node,
                    what: "a recursive model".into(),
                });
            }
            self.def_owner.insert(name.clone(), key);
            let schema = match kind {
                Kind::Model => {
                    self.visiting.push(key);
                    let schema = self.model_schema(key);
                    self.visiting.pop();
                    schema?
                }
                Kind::Enum => self.enum_schema(key)?,
            };
            self.defs.insert(name.clone(), Value::Object(schema));
        }
        let mut reference = Map::new();
        reference.insert("$ref".into(), json!(format!("#/$defs/{name}")));
        Ok(reference)
    }

    fn enum_schema(&self, key: ClassKey<'a>) -> R<Map<String, Value>> {
        let (members, doc) = self.enum_members(key)?;
        let values: Vec<Value> = members.into_iter().map(|(_, v)| v).collect();
        let mut schema = Map::new();
        if let Some(kind) = json_type_of_all(&values) {
            schema.insert("type".into(), json!(kind));
        }
        if values.len() == 1 {
            schema.insert("const".into(), values[0].clone());
        } else {
            schema.insert("enum".into(), Value::Array(values));
        }
        schema.insert("title".into(), json!(key.1.name.as_str()));
        if let Some(doc) = doc {
            schema.insert("description".into(), json!(cleandoc(&doc)));
        }
        Ok(schema)
    }

    fn field_schema(&mut self, field: &FieldDef<'a>) -> R<Map<String, Value>> {
        let mut schema = self.ty_schema(&field.ty, &field.info.constraints, field)?;
        if let (Some(default), None) = (field.info.default, field.info.factory) {
            let value = self.eval(field.module, default)?;
            if schema.contains_key("$ref") {
                let mut wrapped = Map::new();
                wrapped.insert("allOf".into(), json!([Value::Object(schema)]));
                wrapped.insert("default".into(), value);
                schema = wrapped;
            } else {
                schema.insert("default".into(), value);
            }
        }
        if let Some(title) = &field.info.title {
            schema.insert("title".into(), json!(title));
        }
        if let Some(description) = &field.info.description {
            schema.insert("description".into(), json!(description));
        }
        if let Some(examples) = &field.info.examples {
            schema.insert("examples".into(), examples.clone());
        }
        if let Some(extra) = &field.info.extra {
            for (k, v) in extra {
                schema.insert(k.clone(), v.clone());
            }
        }
        if !schema.contains_key("title") && title_should_be_set(&field.ty) {
            schema.insert(
                "title".into(),
                json!(python_title(&field.key).replace('_', " ")),
            );
        }
        // handle_ref_overrides
        if let Some(Value::String(reference)) = schema.get("$ref").cloned() {
            let name = reference.trim_start_matches("#/$defs/");
            if let Some(Value::Object(target)) = self.defs.get(name) {
                schema.retain(|k, v| k == "$ref" || target.get(k) != Some(v));
            }
            if schema.len() > 1 {
                schema.remove("$ref");
                let mut wrapped = Map::new();
                wrapped.insert("allOf".into(), json!([{ "$ref": reference }]));
                wrapped.extend(schema);
                schema = wrapped;
            }
        }
        Ok(schema)
    }

    fn ty_schema(
        &mut self,
        ty: &Ty<'a>,
        constraints: &[(&'static str, Value, Span)],
        field: &FieldDef<'a>,
    ) -> R<Map<String, Value>> {
        let module = field.module;
        let reject = |allowed: &[&str]| -> R<()> {
            match constraints.iter().find(|(k, _, _)| !allowed.contains(k)) {
                Some((k, _, span)) => Err(Unsupported {
                    module,
                    span: *span,
                    what: format!("the constraint `{k}` on this type"),
                }),
                None => Ok(()),
            }
        };
        let mut schema = Map::new();
        let numeric = |schema: &mut Map<String, Value>| {
            for (k, v, _) in constraints {
                let key = match *k {
                    "gt" => "exclusiveMinimum",
                    "ge" => "minimum",
                    "lt" => "exclusiveMaximum",
                    "le" => "maximum",
                    _ => "multipleOf",
                };
                schema.insert(key.into(), v.clone());
            }
        };
        let lengths = |schema: &mut Map<String, Value>, min: &str, max: &str| {
            for (k, v, _) in constraints {
                let key = match *k {
                    "min_length" => min,
                    "max_length" => max,
                    _ => "pattern",
                };
                schema.insert(key.into(), v.clone());
            }
        };
        match ty {
            Ty::Str => {
                reject(&["min_length", "max_length", "pattern"])?;
                schema.insert("type".into(), json!("string"));
                lengths(&mut schema, "minLength", "maxLength");
            }
            Ty::Int | Ty::Float => {
                reject(&["gt", "ge", "lt", "le", "multiple_of"])?;
                let is_int = matches!(ty, Ty::Int);
                if is_int
                    && let Some((k, _, span)) = constraints.iter().find(|(_, v, _)| v.is_f64())
                {
                    return Err(Unsupported {
                        module,
                        span: *span,
                        what: format!("a float `{k}` on an integer field"),
                    });
                }
                schema.insert(
                    "type".into(),
                    json!(if is_int { "integer" } else { "number" }),
                );
                numeric(&mut schema);
                if !is_int {
                    // pydantic validates the bounds of a float field as floats
                    for value in schema.values_mut() {
                        if let Some(i) = value.as_i64() {
                            *value = json!(i as f64);
                        }
                    }
                }
            }
            Ty::Bool => {
                reject(&[])?;
                schema.insert("type".into(), json!("boolean"));
            }
            Ty::NoneT => {
                reject(&[])?;
                schema.insert("type".into(), json!("null"));
            }
            Ty::Any => reject(&[])?,
            Ty::Format(format) => {
                reject(&[])?;
                schema.insert("format".into(), json!(format));
                schema.insert("type".into(), json!("string"));
            }
            Ty::Secret => {
                reject(&[])?;
                schema.insert("format".into(), json!("password"));
                schema.insert("type".into(), json!("string"));
                schema.insert("writeOnly".into(), json!(true));
            }
            Ty::List(item) | Ty::Set(item) | Ty::Tuple(item) => {
                reject(&["min_length", "max_length"])?;
                let items = self.ty_schema(item, &[], field)?;
                schema.insert("items".into(), Value::Object(items));
                schema.insert("type".into(), json!("array"));
                if matches!(ty, Ty::Set(_)) {
                    schema.insert("uniqueItems".into(), json!(true));
                }
                lengths(&mut schema, "minItems", "maxItems");
            }
            Ty::Dict(keys, values) => {
                reject(&[])?;
                schema.insert("type".into(), json!("object"));
                let keys = self.ty_schema(keys, &[], field)?;
                if keys.contains_key("pattern") {
                    return Err(Unsupported {
                        module,
                        span: field.span,
                        what: "dict keys with a pattern".into(),
                    });
                }
                let mut values = self.ty_schema(values, &[], field)?;
                values.remove("title");
                if !values.is_empty() {
                    schema.insert("additionalProperties".into(), Value::Object(values));
                }
            }
            Ty::Literal(values) => {
                reject(&[])?;
                if values.len() == 1 {
                    schema.insert("const".into(), values[0].clone());
                } else {
                    schema.insert("enum".into(), Value::Array(values.clone()));
                    if let Some(kind) = json_type_of_all(values) {
                        schema.insert("type".into(), json!(kind));
                    }
                }
            }
            Ty::Model(key) => {
                reject(&[])?;
                return self.def_ref(*key, Kind::Model, &field.span, module);
            }
            Ty::Enum(key) => {
                reject(&[])?;
                return self.def_ref(*key, Kind::Enum, &field.span, module);
            }
            Ty::Union(members) => {
                let null = json!({"type": "null"});
                let non_null: Vec<&Ty<'a>> = members.iter().filter(|m| **m != Ty::NoneT).collect();
                let nullable = non_null.len() < members.len();
                let inner = match non_null.as_slice() {
                    [] => return Ok(null.as_object().cloned().unwrap_or_default()),
                    [one] => self.ty_schema(one, constraints, field)?,
                    many => {
                        reject(&[])?;
                        let schemas = many
                            .iter()
                            .map(|m| self.ty_schema(m, &[], field).map(Value::Object))
                            .collect::<R<Vec<_>>>()?;
                        match flattened_anyof(schemas) {
                            Value::Object(map) => map,
                            _ => Map::new(),
                        }
                    }
                };
                if !nullable {
                    return Ok(inner);
                }
                let inner = Value::Object(inner);
                if inner == null {
                    return Ok(inner.as_object().cloned().unwrap_or_default());
                }
                return match flattened_anyof(vec![inner, null]) {
                    Value::Object(map) => Ok(map),
                    _ => Ok(Map::new()),
                };
            }
        }
        Ok(schema)
    }
}

/// A field default (never validated) as a model instance serializes it: the serializer of
/// the field type where the value fits it (an `int` in a `float` field becomes a float),
/// the value as it is otherwise.
fn serialize_unvalidated(value: Value, ty: &Ty<'_>, module: usize, span: Span) -> R<Value> {
    Ok(match (ty, value) {
        (_, Value::Null) => Value::Null,
        (Ty::Int | Ty::Float, Value::Bool(_)) => {
            return Err(Unsupported {
                module,
                span,
                what: "a model instance with a bool default in a number field".into(),
            });
        }
        (Ty::Float, Value::Number(n)) if !n.is_f64() => match n.as_i64() {
            Some(i) => json!(i as f64),
            None => Value::Number(n),
        },
        (Ty::Set(_), Value::Array(items)) if items.len() > 1 => {
            return Err(Unsupported {
                module,
                span,
                what: "a model instance with a set of several items (its order is not fixed)"
                    .into(),
            });
        }
        (Ty::List(item) | Ty::Set(item) | Ty::Tuple(item), Value::Array(items)) => items
            .into_iter()
            .map(|v| serialize_unvalidated(v, item, module, span))
            .collect::<R<Vec<_>>>()
            .map(Value::Array)?,
        (Ty::Dict(_, item), Value::Object(map)) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(k, serialize_unvalidated(v, item, module, span)?);
            }
            Value::Object(out)
        }
        (Ty::Union(members), value) => {
            let non_null: Vec<&Ty<'_>> = members.iter().filter(|m| **m != Ty::NoneT).collect();
            match non_null.as_slice() {
                [one] => serialize_unvalidated(value, one, module, span)?,
                // a string serializes as itself whichever member takes it
                _ if value.is_string() => value,
                _ => {
                    return Err(Unsupported {
                        module,
                        span,
                        what:
                            "a model instance whose union-typed default pydantic serializes by type"
                                .into(),
                    });
                }
            }
        }
        (_, value) => value,
    })
}

fn float(module: usize, expr: &Expr, value: f64) -> R<Value> {
    match serde_json::Number::from_f64(value) {
        Some(n) => Ok(Value::Number(n)),
        None => unsupported(module, expr, "a non-finite float"),
    }
}

fn binary(module: usize, expr: &Expr, op: Operator, left: Value, right: Value) -> R<Value> {
    match (&left, &right) {
        (Value::String(a), Value::String(b)) if op == Operator::Add => Ok(json!(format!("{a}{b}"))),
        (Value::Array(a), Value::Array(b)) if op == Operator::Add => {
            Ok(Value::Array(a.iter().chain(b.iter()).cloned().collect()))
        }
        (Value::Number(a), Value::Number(b)) => {
            if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
                let result = match op {
                    Operator::Add => x.checked_add(y),
                    Operator::Sub => x.checked_sub(y),
                    Operator::Mult => x.checked_mul(y),
                    Operator::Div => {
                        return float(module, expr, x as f64 / y as f64).and_then(|v| {
                            if y == 0 {
                                unsupported(module, expr, "a division by zero")
                            } else {
                                Ok(v)
                            }
                        });
                    }
                    _ => return unsupported(module, expr, "this arithmetic operation"),
                };
                return match result {
                    Some(v) => Ok(json!(v)),
                    None => unsupported(module, expr, "an integer this large"),
                };
            }
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            let result = match op {
                Operator::Add => x + y,
                Operator::Sub => x - y,
                Operator::Mult => x * y,
                Operator::Div if y != 0.0 => x / y,
                _ => return unsupported(module, expr, "this arithmetic operation"),
            };
            float(module, expr, result)
        }
        _ => unsupported(module, expr, "this operation"),
    }
}

/// Union members flattened and deduplicated as `typing.Union` does.
fn make_union(members: Vec<Ty<'_>>) -> Ty<'_> {
    let mut flat: Vec<Ty<'_>> = Vec::new();
    for member in members {
        let items = match member {
            Ty::Union(inner) => inner,
            other => vec![other],
        };
        for item in items {
            if !flat.contains(&item) {
                flat.push(item);
            }
        }
    }
    if flat.len() == 1 {
        flat.pop().unwrap_or(Ty::Any)
    } else {
        Ty::Union(flat)
    }
}

/// pydantic's `field_title_should_be_set`: no title for things with a `$ref` (models,
/// enums), also when only wrapped in `Optional`.
fn title_should_be_set(ty: &Ty<'_>) -> bool {
    match ty {
        Ty::Model(_) | Ty::Enum(_) => false,
        Ty::Union(members) => {
            let non_null: Vec<&Ty<'_>> = members.iter().filter(|m| **m != Ty::NoneT).collect();
            if non_null.len() == 1 && non_null.len() < members.len() {
                title_should_be_set(non_null[0])
            } else {
                true
            }
        }
        _ => true,
    }
}

/// `GenerateJsonSchema.get_flattened_anyof`.
fn flattened_anyof(schemas: Vec<Value>) -> Value {
    let mut members: Vec<Value> = Vec::new();
    for schema in schemas {
        match schema {
            Value::Object(mut map) if map.len() == 1 && map.contains_key("anyOf") => {
                if let Some(Value::Array(inner)) = map.remove("anyOf") {
                    members.extend(inner);
                }
            }
            other => members.push(other),
        }
    }
    let mut unique: Vec<Value> = Vec::new();
    for member in members {
        if !unique.contains(&member) {
            unique.push(member);
        }
    }
    if unique.len() == 1 {
        return unique.pop().unwrap_or(Value::Null);
    }
    json!({ "anyOf": unique })
}

/// The JSON type shared by all values (pydantic's `literal_schema`), if any.
fn json_type_of_all(values: &[Value]) -> Option<&'static str> {
    let kind = |v: &Value| match v {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_f64() => Some("number"),
        Value::Number(_) => Some("integer"),
        Value::Array(_) => Some("array"),
        _ => None,
    };
    let first = kind(values.first()?)?;
    values
        .iter()
        .all(|v| kind(v) == Some(first))
        .then_some(first)
}

/// pydantic 2.4.2 `_sort_json_schema`: keys sorted at every level except the members of
/// `properties`.
fn sort_schema(value: Value, parent_key: Option<&str>) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            if parent_key != Some("properties") {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
            let mut out = Map::new();
            for (key, value) in entries {
                let value = sort_schema(value, Some(&key));
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| sort_schema(v, None)).collect())
        }
        other => other,
    }
}

/// Python's `str.title()`.
fn python_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_cased = false;
    for c in text.chars() {
        let cased = c.is_lowercase() || c.is_uppercase();
        if cased {
            if previous_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
        } else {
            out.push(c);
        }
        previous_cased = cased;
    }
    out
}

/// Python's `inspect.cleandoc`.
fn cleandoc(doc: &str) -> String {
    let expanded = expand_tabs(doc);
    let mut lines: Vec<String> = expanded.split('\n').map(str::to_string).collect();
    let margin = lines
        .iter()
        .skip(1)
        .filter_map(|line| {
            let content = line.trim_start().chars().count();
            (content > 0).then(|| line.chars().count() - content)
        })
        .min();
    if let Some(first) = lines.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(margin) = margin {
        for line in lines.iter_mut().skip(1) {
            *line = line.chars().skip(margin).collect();
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines.join("\n")
}

/// Python's `str.expandtabs()` (tab size 8).
fn expand_tabs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = 8 - column % 8;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// `tests/domino-models`, or the folder in `DOMINO_MODELS_CORPUS` (same layout: `cases/`
    /// and `golden/`), to try the reader on other models.py files.
    fn corpus() -> PathBuf {
        match std::env::var_os("DOMINO_MODELS_CORPUS") {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/domino-models"),
        }
    }

    fn read(text: &str) -> (ModelSchemas, Vec<Diagnostic>) {
        let file = SourceFile::new("models.py".into(), "models.py".into(), text.into());
        let (module, diagnostics) = python::parse(&file);
        assert!(diagnostics.is_empty());
        model_schemas(&module)
    }

    /// The first differing line of two pretty-printed documents, with some context.
    fn pretty_diff(expected: &str, actual: &str) -> String {
        let e: Vec<&str> = expected.lines().collect();
        let a: Vec<&str> = actual.lines().collect();
        let first = (0..e.len().max(a.len()))
            .find(|&i| e.get(i) != a.get(i))
            .unwrap_or(0);
        let from = first.saturating_sub(3);
        let mut out = format!("first difference at line {}:\n", first + 1);
        for i in from..(first + 4).min(e.len().max(a.len())) {
            match (e.get(i), a.get(i)) {
                (Some(x), Some(y)) if x == y => out.push_str(&format!("   {x}\n")),
                (x, y) => {
                    if let Some(x) = x {
                        out.push_str(&format!(" - {x}\n"));
                    }
                    if let Some(y) = y {
                        out.push_str(&format!(" + {y}\n"));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn corpus_matches_pydantic_goldens() {
        let root = corpus();
        let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
            .expect("cases folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "py"))
            .collect();
        cases.sort();
        if std::env::var_os("DOMINO_MODELS_CORPUS").is_none() {
            assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
        }
        let mut failures = Vec::new();
        let mut identical = 0;
        for case in &cases {
            let name = case
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let golden_path = root.join("golden").join(format!("{name}.json"));
            let golden: Value = match std::fs::read_to_string(&golden_path)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{name}: no golden ({e})"));
                    continue;
                }
            };
            let file = SourceFile::read(case, name.clone()).expect("readable case");
            let (module, syntax) = python::parse(&file);
            assert!(syntax.is_empty(), "{name}: syntax errors");
            let (schemas, diagnostics) = model_schemas(&module);
            let expect_unsupported = name.starts_with("unsupported_");
            if expect_unsupported {
                // the lines marked `# unsupported` are exactly where the diagnostics point
                let marked: Vec<usize> = file
                    .text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| l.contains("# unsupported"))
                    .map(|(i, _)| i + 1)
                    .collect();
                let mut lines: Vec<usize> = diagnostics
                    .iter()
                    .filter_map(|d| d.location.as_ref()?.positions())
                    .map(|(start, _)| start.line)
                    .collect();
                lines.dedup();
                if lines != marked {
                    failures.push(format!(
                        "{name}: diagnostics at lines {lines:?}, marked {marked:?}"
                    ));
                    continue;
                }
                for d in &diagnostics {
                    let at = d
                        .location
                        .as_ref()
                        .map(|l| l.to_short_string())
                        .unwrap_or_default();
                    eprintln!("{at}: {}", d.message);
                }
                let has = diagnostics.iter().any(|d| d.code == UNSUPPORTED);
                let missing = schemas.input.is_none()
                    || schemas.output.is_none()
                    || schemas.secrets.is_none() && !golden["secrets_schema"].is_null();
                if !has || !missing {
                    failures.push(format!(
                        "{name}: expected an unsupported-construct diagnostic and a missing schema"
                    ));
                    continue;
                }
            } else if let Some(d) = diagnostics.first() {
                failures.push(format!(
                    "{name}: unexpected diagnostic {}: {} at {}",
                    d.code,
                    d.message,
                    d.location
                        .as_ref()
                        .map(|l| l.to_short_string())
                        .unwrap_or_default()
                ));
                continue;
            }
            let mut ok = true;
            for (slot, ours) in [
                ("input_schema", &schemas.input),
                ("output_schema", &schemas.output),
                ("secrets_schema", &schemas.secrets),
            ] {
                if expect_unsupported && ours.is_none() {
                    continue;
                }
                let expected = serde_json::to_string_pretty(&golden[slot]).unwrap_or_default();
                let actual = serde_json::to_string_pretty(&ours.clone().unwrap_or(Value::Null))
                    .unwrap_or_default();
                if expected != actual {
                    failures.push(format!(
                        "{name} {slot}: {}",
                        pretty_diff(&expected, &actual)
                    ));
                    ok = false;
                    break;
                }
            }
            if ok && !expect_unsupported {
                identical += 1;
            }
        }
        eprintln!(
            "{identical} of {} fixture models byte-identical to pydantic 2.4.2",
            cases.len()
        );
        assert!(
            failures.is_empty(),
            "{} failing cases:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn missing_classes_are_reported_at_the_start_of_the_file() {
        let (schemas, diagnostics) =
            read("from pydantic import BaseModel\n\nclass Other(BaseModel):\n    x: int\n");
        assert_eq!(schemas, ModelSchemas::default());
        let codes: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.code, d.help.clone().unwrap_or_default()))
            .collect();
        assert_eq!(codes.len(), 2);
        assert!(codes.iter().all(|(c, _)| *c == MISSING_MODEL_CLASS));
        assert!(codes[0].1.contains("InputModel") && codes[1].1.contains("OutputModel"));
        let position = diagnostics[0]
            .location
            .as_ref()
            .and_then(|l| l.positions())
            .map(|(s, _)| (s.line, s.column));
        assert_eq!(position, Some((1, 1)));
    }

    #[test]
    fn unsupported_constructs_point_at_the_node() {
        let text = "from pydantic import BaseModel, Field\n\ndef f():\n    return 1\n\nclass InputModel(BaseModel):\n    x: int = Field(default=f())\n\nclass OutputModel(BaseModel):\n    y: int = 2\n";
        let (schemas, diagnostics) = read(text);
        assert!(schemas.input.is_none());
        assert_eq!(
            schemas.output,
            Some(
                json!({"properties": {"y": {"default": 2, "title": "Y", "type": "integer"}}, "title": "OutputModel", "type": "object"})
            )
        );
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, UNSUPPORTED);
        assert!(
            diagnostics[0]
                .message
                .starts_with("unsupported in static mode: ")
        );
        let position = diagnostics[0]
            .location
            .as_ref()
            .and_then(|l| l.positions())
            .map(|(s, _)| (s.line, s.column));
        assert_eq!(position, Some((7, 28)));
    }

    /// Bad input never panics: every line prefix of every corpus file, and every byte
    /// prefix of a realistic one, goes through the parser and the reader.
    #[test]
    fn truncated_sources_never_panic() {
        let root = corpus().join("cases");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
            .expect("cases folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        paths.sort();
        for path in &paths {
            let text = std::fs::read_to_string(path).expect("readable case");
            let mut ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
            if path.ends_with("mix_workflow_scheduler.py") {
                ends = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
            }
            for end in ends {
                let file = SourceFile::new("m.py".into(), "m.py".into(), text[..end].to_string());
                let (module, _) = python::parse(&file);
                let _ = model_schemas(&module);
            }
        }
        for text in [
            "from typing import Annotated\nfrom pydantic import BaseModel\nclass InputModel(BaseModel):\n    x: Annotated[()]\n",
            "from pydantic import BaseModel\nclass InputModel(BaseModel):\n    x: int = 99999999999999999999999\n    y: float = 1e400\n",
            "from pydantic import BaseModel\nA = A\nclass InputModel(BaseModel):\n    x: int = A\n",
            "from pydantic import BaseModel\nclass InputModel(InputModel):\n    x: int\nclass OutputModel(BaseModel):\n    y: 'OutputModel'\n",
        ] {
            let (schemas, diagnostics) = read(text);
            assert!(schemas.input.is_none());
            assert!(diagnostics.iter().any(|d| d.code == UNSUPPORTED), "{text}");
        }
    }

    #[test]
    fn python_string_helpers() {
        assert_eq!(python_title("aws_region_name"), "Aws_Region_Name");
        assert_eq!(python_title("x2y"), "X2Y");
        assert_eq!(cleandoc("\n    A\n      b\n\n    "), "A\n  b");
        assert_eq!(cleandoc("First\n\tTab"), "First\nTab");
    }
}
