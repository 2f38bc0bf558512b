//! The static schema reader: what pydantic **2.4.2** `Model.model_json_schema()` returns for
//! `InputModel`, `OutputModel` and `SecretsModel` of a piece's models.py, computed from the
//! syntax tree alone (no Python is run).
//!
//! The reader understands the constructs Domino pieces use (see `tests/domino-models/cases`,
//! whose goldens come from the reference): scalar, date/time and path types, `Optional`,
//! `Union` (also `X | Y`), `List`/`Dict`/`Set`/`Tuple[X, ...]` (typing and builtin),
//! `Literal`, `Any`, `Annotated[X, Field(...)]`, the URL types of `pydantic.networks`,
//! enums (str, int, float, tuple, plain), nested and inherited models, `Field(...)`
//! arguments (aliases included), `ConfigDict`, module constants, defaults made of literals,
//! enum members, model instances, `date`/`datetime`/`time` calls and `json.dumps` of a
//! literal, and `domino.models.OutputModifierModel`/`OutputModifierItemType`. Classes and
//! constants may come from other modules of the repository (`imports.rs`: found as the
//! reference's `import <Name>Piece.models` finds them, with `pieces/` on `sys.path`). A
//! name that is bound nowhere is Python's `NameError`: `domino::undefined-name`. Anything
//! else is a `domino::unsupported-model-construct` diagnostic at that node and no schema:
//! never a silently wrong schema.
//!
//! # How it works
//!
//! One [`model_schemas`] call goes through five steps. They are not separate passes: a
//! `Generator` runs them on demand (the schema of a field asks for its model, reading a
//! `Field(...)` evaluates its arguments) and keeps each model it has read.
//!
//! 1. **parse** (here): models.py arrives parsed (`crate::python`); the models of
//!    `domino.models` (`DOMINO_MODELS_SOURCE`, domino-py's own file) are parsed as a second
//!    module, so `module` 0 is always models.py and 1 is domino-py; the modules of the
//!    repository it imports (`imports.rs`, bounded in depth and count) follow.
//! 2. **resolve** (`resolve.rs`): the top-level classes, constants and imports of each
//!    module (`ModuleInfo`); what a name or `a.b` attribute refers to (`Ctx::resolve`): a
//!    class, a constant, or an external symbol by its canonical dotted path
//!    (`pydantic.Field`, `typing.Optional`, ...); base classes followed to tell a model from
//!    an enum (`Generator::kind`).
//! 3. **read** (`read.rs`): class bodies. A model becomes a `ModelDef` (inherited fields
//!    first): each field's annotation a `Ty`, its `Field(...)` / `Annotated[...]` arguments
//!    a `FieldInfo`, `model_config` / `class Config` / class keywords a `Config`. Enum
//!    members and docstrings are read here too.
//! 4. **evaluate** (`eval.rs`): default values and other expressions evaluated statically to
//!    their JSON-mode value (literals, constants, arithmetic, enum members,
//!    `date`/`datetime`/`time` calls, model instances validated as pydantic's lax mode does,
//!    `default_factory`), and how an unvalidated default serializes.
//! 5. **schema** (`schema.rs`): `Generator::top_level` builds the JSON schema of one model
//!    (properties, `required`, titles, constraints, `$defs` with `$ref`s for nested models
//!    and enums), then sorts the keys as pydantic does.
//!
//! Every step returns `R<T>`: an `Unsupported` error (module, span, what) stops the schema
//! of that model and becomes one diagnostic in [`model_schemas`]. The reader is bounded
//! (`resolve.rs`): its recursions together go at most `MAX_NESTING` levels deep, and
//! evaluation spends at most `EVAL_BUDGET` units, so a hostile models.py is a diagnostic,
//! never a stack overflow or a hang. This file holds the public
//! API and the types the steps share; `tests.rs` holds the unit tests, among them the
//! golden corpus runner over `tests/domino-models/`.

mod eval;
mod imports;
mod read;
mod resolve;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use ruff_python_ast::Expr;
use serde_json::{Map, Value};

use crate::codes::Code;
pub use crate::config::DominoGenerator;
use crate::diagnostics::Diagnostic;
use crate::python::{self, PythonModule, span_of};
use crate::source::{SourceFile, Span};

pub use imports::{RepoModules, class_has_method};
use resolve::{ClassKey, Ctx, ModuleInfo, same_class};

/// `InputModel` or `OutputModel` is not defined in models.py.
pub const MISSING_MODEL_CLASS: Code = Code::DominoMissingModelClass;
/// A construct the static reader does not understand.
pub const UNSUPPORTED: Code = Code::DominoUnsupportedModelConstruct;
/// A name that no statement binds (Python's `NameError`), or that a module of the
/// repository does not have (`ImportError`).
pub const UNDEFINED_NAME: Code = Code::DominoUndefinedName;

/// The three schemas of one models.py; `None` when the class is missing or unsupported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSchemas {
    pub input: Option<Value>,
    pub output: Option<Value>,
    pub secrets: Option<Value>,
}

/// `domino/models/output_modifier.py` of domino-py 0.9.4 (the same in domino-py-iisas
/// 1.0.50), verbatim: what `from domino.models import ...` brings in.
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

/// domino-py's own `domino.models`, parsed once per run.
fn builtin_module() -> &'static PythonModule {
    static BUILTIN: std::sync::OnceLock<PythonModule> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| {
        let file = SourceFile::new(
            "domino/models/output_modifier.py".into(),
            "<domino-py>/domino/models/output_modifier.py".into(),
            DOMINO_MODELS_SOURCE.into(),
        );
        python::parse(&file).0
    })
}

/// Static equivalent of pydantic 2.4.2 `InputModel.model_json_schema()` etc. for one
/// models.py (domino-py 0.9.4) that imports no module of its repository.
pub fn model_schemas(module: &PythonModule) -> (ModelSchemas, Vec<Diagnostic>) {
    model_schemas_in(module, "models", None, DominoGenerator::DominoPy)
}

/// [`model_schemas`] as the pydantic version of `generator` gives them.
pub fn model_schemas_for(
    module: &PythonModule,
    generator: DominoGenerator,
) -> (ModelSchemas, Vec<Diagnostic>) {
    model_schemas_in(module, "models", None, generator)
}

/// Static equivalent of `InputModel.model_json_schema()` etc. for a models.py imported as
/// `name` (`<Name>Piece.models`), whose imports of other modules of the repository are
/// followed in `repo`, as the pydantic version of `generator` gives them (2.4.2 for
/// domino-py, 2.11.7 for domino-py-iisas; the flavor in schema.rs holds the differences).
/// A missing `InputModel`/`OutputModel` is a `domino::missing-model-class` error;
/// anything not understood is a `domino::unsupported-model-construct` error at that node, and
/// that schema is `None`.
pub fn model_schemas_in(
    module: &PythonModule,
    name: &str,
    repo: Option<&RepoModules<'_>>,
    generator: DominoGenerator,
) -> (ModelSchemas, Vec<Diagnostic>) {
    let builtin = builtin_module();
    let (loaded, not_followed) = match repo {
        Some(repo) => imports::load_imports(module, name, false, repo),
        None => Default::default(),
    };
    let mut infos = vec![
        ModuleInfo::new(&module.file, &module.module.body, name, false),
        ModuleInfo::new(&builtin.file, &builtin.module.body, "domino.models", true),
    ];
    for l in &loaded {
        infos.push(ModuleInfo::new(
            &l.module.file,
            &l.module.module.body,
            &l.name,
            l.is_package,
        ));
    }
    let ctx = Ctx::new(infos, not_followed);
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
        let mut schema_generator = Generator::new(&ctx);
        schema_generator.flavor = generator;
        match schema_generator.top_level((0, class)) {
            Ok(schema) => Some(schema),
            Err(error) => {
                let key = (error.module, error.span.start, error.what.clone());
                if seen.insert(key) {
                    let file = ctx.modules[error.module].file;
                    let diagnostic = match ctx.name_error(&error) {
                        Some(help) => Diagnostic::error(UNDEFINED_NAME, error.what.clone())
                            .at(file, error.span)
                            .with_help(help),
                        None => Diagnostic::error(
                            UNSUPPORTED,
                            format!("unsupported in static mode: {}", error.what),
                        )
                        .at(file, error.span)
                        .with_help(format!(
                            "the static reader cannot compute the schema of `{name}`; simplify this construct or use `--schema-engine python` (or `auto`)"
                        )),
                    };
                    diagnostics.push(diagnostic);
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
// Errors

/// Why a schema cannot be computed. Python's own failures (`NameError`, `ImportError`)
/// are marked in `Ctx::name_errors` and reported as `UNDEFINED_NAME`.
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
    /// A URL type of `pydantic.networks` (`AnyUrl`, `HttpUrl`, `PostgresDsn`, ...): its
    /// `format` (`uri`, `multi-host-uri`) and `maxLength`, if any.
    Url(&'static str, Option<u64>),
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
            (Url(a, x), Url(b, y)) => a == b && x == y,
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
    /// The default holds a `Field(...)` (`x: float = Field(default=1.0),`, a tuple):
    /// pydantic cannot serialize it and leaves `default` out of the schema.
    unserializable: bool,
    factory: Option<&'a Expr>,
    alias: Option<String>,
    /// `validation_alias` as pydantic's core schema has it: a list of paths (a plain
    /// string is one path of one item); set from `alias` when not given, as `Field` does.
    validation_alias: Option<Vec<Vec<Value>>>,
    /// `validation_alias` was a plain string.
    validation_alias_str: Option<String>,
    serialization_alias: Option<String>,
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
            self.unserializable = later.unserializable;
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if later.$f.is_some() { self.$f = later.$f; } )* };
        }
        take!(
            alias,
            validation_alias,
            validation_alias_str,
            serialization_alias,
            title,
            description,
            examples,
            extra
        );
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
    /// The property name in the schema (`_get_alias_name` of the validation alias).
    key: String,
    /// The names an instance may be given this field by (`None`: an alias path that the
    /// reader does not follow); the name itself is added with `populate_by_name`.
    inputs: Option<Vec<String>>,
    /// The name a serialized instance has it under (`by_alias=True`).
    output: String,
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

// ---------------------------------------------------------------------------------------
// The generator: one per top-level schema (and a scratch one to read a model for a value);
// its methods are spread over the step files

struct Generator<'c, 'a> {
    ctx: &'c Ctx<'a>,
    defs: Map<String, Value>,
    def_owner: HashMap<String, ClassKey<'a>>,
    visiting: Vec<ClassKey<'a>>,
    models: HashMap<usize, Rc<ModelDef<'a>>>,
    depth: usize,
    /// Whose pydantic the schema follows.
    flavor: DominoGenerator,
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
            flavor: DominoGenerator::DominoPy,
        }
    }
}
