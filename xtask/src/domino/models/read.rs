//! Reading class bodies: enum members, model fields (annotations as `Ty`, `Field(...)` and
//! `Annotated` arguments as `FieldInfo`), inheritance, methods and configuration.

use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use serde_json::{Map, Value, json};

use crate::python::span_of;
use crate::source::Span;

use super::resolve::{ClassKey, Sym, class_id, same_class};
use super::schema::json_type_of_all;
use super::{
    Config, EnumMembers, FieldDef, FieldInfo, Generator, Kind, ModelDef, R, Ty, Unsupported,
    unsupported,
};

impl<'c, 'a> Generator<'c, 'a> {
    // ----- enums

    /// The data type an enum mixes in (`class E(str, Enum)`): `str`, `int`, `float`,
    /// `tuple`, or none (a plain `Enum`).
    fn enum_mixin(&self, key: ClassKey<'a>) -> R<Option<&'static str>> {
        let (module, class) = key;
        let arguments = class.arguments.as_deref();
        if !class.decorator_list.is_empty() || class.type_params.is_some() {
            return unsupported(module, &class.name, "a decorated or generic enum");
        }
        let mut mixin: Option<&'static str> = None;
        for base in arguments.map(|a| a.args.iter()).into_iter().flatten() {
            match self.ctx.resolve(module, base) {
                Sym::External(path) => match path.as_str() {
                    "builtins.str" | "enum.StrEnum" => mixin = Some("str"),
                    "builtins.int" | "enum.IntEnum" => mixin = Some("int"),
                    "builtins.float" => mixin = Some("float"),
                    "builtins.tuple" => mixin = Some("tuple"),
                    "enum.Enum" => {}
                    _ => return unsupported(module, base, "this enum base class"),
                },
                _ => return self.refuse(module, base, "an enum that inherits from another class"),
            }
        }
        if arguments.is_some_and(|a| !a.keywords.is_empty()) {
            return unsupported(module, &class.name, "class keyword arguments");
        }
        Ok(mixin)
    }

    /// The `type` pydantic 2.4.2 gives the schema of an enum with these values: by its
    /// mixin (`numeric`, sic, for `float`), else as for a `Literal` of several values.
    pub(super) fn enum_json_type(
        &self,
        key: ClassKey<'a>,
        values: &[Value],
    ) -> R<Option<&'static str>> {
        Ok(match self.enum_mixin(key)? {
            Some("str") => Some("string"),
            Some("int") => Some("integer"),
            // pydantic 2.4.2 names the float mixin's type "numeric"; 2.11.7 "number".
            Some("float") if self.flavor == crate::config::DominoGenerator::DominoPyIisas => {
                Some("number")
            }
            Some("float") => Some("numeric"),
            // pydantic 2.4.2 writes a one-member plain enum as a `const` without a
            // type; 2.11.7 as an `enum` with the type of its value.
            _ if values.len() > 1
                || self.flavor == crate::config::DominoGenerator::DominoPyIisas =>
            {
                json_type_of_all(values)
            }
            _ => None,
        })
    }

    /// Members of an enum class (aliases included, as `__members__`) and its docstring.
    /// A member's value is what Python 3.11's `Enum` makes of the assigned value: with a
    /// mixin, `mixin(*args)` (`args` the assigned tuple, or the value alone), so `url =
    /// "url",` in a `(str, Enum)` is `"url"`; a `tuple` mixin wraps once more.
    pub(super) fn enum_members(&self, key: ClassKey<'a>) -> R<EnumMembers> {
        let (module, class) = key;
        let mixin = self.enum_mixin(key)?;
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut doc = None;
        let text = &self.ctx.modules[module].file.text;
        for stmt in defining_statements(&class.body, text, &mut doc) {
            match stmt {
                Stmt::FunctionDef(_) => {}
                Stmt::Assign(assign) if assign.targets.len() == 1 => {
                    let Expr::Name(name) = &assign.targets[0] else {
                        return unsupported(module, stmt, "this enum member");
                    };
                    if name.id.as_str().starts_with('_') {
                        return unsupported(module, stmt, "a private or special enum attribute");
                    }
                    let mut value = self.member_value(module, mixin, &assign.value)?;
                    // the same value as an earlier member: an alias of it
                    if let Some((_, canonical)) =
                        members.iter().find(|(_, v)| python_equal(v, &value))
                    {
                        value = canonical.clone();
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

    /// The value of one enum member (see [`Generator::enum_members`]).
    fn member_value(&self, module: usize, mixin: Option<&str>, expr: &'a Expr) -> R<Value> {
        let bad = || unsupported(module, expr, "this enum member value");
        let Some(mixin) = mixin else {
            return self.eval(module, expr);
        };
        let value = self.eval(module, expr)?;
        let args = match self.is_tuple(module, expr, 0) {
            Some(true) => match value {
                Value::Array(items) => items,
                _ => return bad(),
            },
            Some(false) => vec![value],
            None => return bad(),
        };
        if mixin == "tuple" {
            return Ok(Value::Array(args));
        }
        let [arg] = args.as_slice() else {
            return bad();
        };
        match (mixin, arg) {
            ("str", Value::String(_)) => Ok(arg.clone()),
            ("str", Value::Number(n)) if !n.is_f64() => Ok(json!(n.to_string())),
            ("str", Value::Bool(b)) => Ok(json!(if *b { "True" } else { "False" })),
            ("int", Value::Number(n)) if !n.is_f64() => Ok(arg.clone()),
            ("int", Value::Bool(b)) => Ok(json!(i64::from(*b))),
            // `int(2.0)` is 2; a fraction would be cut off: not computed
            ("int", Value::Number(n))
                if n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() < 1e15) =>
            {
                Ok(json!(n.as_f64().unwrap_or_default() as i64))
            }
            ("float", Value::Number(n)) => Ok(json!(n.as_f64().unwrap_or_default())),
            ("float", Value::Bool(b)) => Ok(json!(if *b { 1.0 } else { 0.0 })),
            _ => bad(),
        }
    }

    /// Is the value of `expr` a tuple? `None` when that cannot be told.
    fn is_tuple(&self, module: usize, expr: &'a Expr, depth: usize) -> Option<bool> {
        if depth > 16 {
            return None;
        }
        match expr {
            Expr::Tuple(_) => Some(true),
            Expr::List(_)
            | Expr::Dict(_)
            | Expr::Set(_)
            | Expr::StringLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::UnaryOp(_) => Some(false),
            Expr::BinOp(binop) => match self.is_tuple(module, &binop.left, depth + 1)? {
                false => Some(false),
                true => None,
            },
            Expr::Name(_) | Expr::Attribute(_) => match self.ctx.resolve(module, expr) {
                Sym::Constant(m, value) => self.is_tuple(m, value, depth + 1),
                // an enum member (`A.x`) is an instance of its enum, not a tuple
                _ => None,
            },
            _ => None,
        }
    }

    pub(super) fn enum_member(&self, key: ClassKey<'a>, member: &str, node: &'a Expr) -> R<Value> {
        let (members, _) = self.enum_members(key)?;
        match members.into_iter().find(|(name, _)| name == member) {
            // an alias has the value of the first member with that value
            Some((_, value)) => Ok(value),
            None => unsupported(
                key.0,
                node,
                format!("`{}` is not a member of enum `{}`", member, key.1.name),
            ),
        }
    }

    // ----- models

    pub(super) fn model(&mut self, key: ClassKey<'a>) -> R<Rc<ModelDef<'a>>> {
        if let Some(model) = self.models.get(&class_id(key)) {
            return Ok(Rc::clone(model));
        }
        self.depth += 1;
        if self.depth > 32 {
            self.depth -= 1;
            return unsupported(key.0, &key.1.name, "model hierarchy too deep");
        }
        let ctx = self.ctx;
        let result = ctx
            .nest(key.0, span_of(&key.1.name))
            .and_then(|_nesting| self.build_model(key));
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
            _ => return self.refuse(module, base, "this base class of a model"),
        };
        let mut doc = None;
        let mut has_model_config = false;
        let text = &self.ctx.modules[module].file.text;
        for stmt in defining_statements(&class.body, text, &mut doc) {
            match stmt {
                Stmt::AnnAssign(assign) => {
                    let Expr::Name(name) = &*assign.target else {
                        return unsupported(module, stmt, "this annotated assignment in a model");
                    };
                    let name = name.id.as_str();
                    if name == "model_config" {
                        configured_once(&mut has_model_config, module, stmt)?;
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
                                unserializable: self.holds_field_call(module, other, 0),
                                ..FieldInfo::default()
                            },
                        };
                        info = info.merge(assigned);
                    }
                    let (key, inputs) = alias_names(name, &info);
                    let field = FieldDef {
                        name: name.to_string(),
                        key,
                        inputs,
                        output: info
                            .serialization_alias
                            .clone()
                            .unwrap_or_else(|| name.to_string()),
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
                        configured_once(&mut has_model_config, module, stmt)?;
                        self.config(module, &assign.value, &mut config)?;
                    } else if !name.id.as_str().starts_with('_') {
                        return unsupported(module, stmt, "a non-annotated attribute in a model");
                    }
                }
                Stmt::FunctionDef(function) => hooks |= self.check_method(module, function)?,
                Stmt::ClassDef(nested) if nested.name.as_str() == "Config" => {
                    configured_once(&mut has_model_config, module, stmt)?;
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

    /// A tuple or list that holds a `Field(...)` call (at any depth of tuples and lists).
    fn holds_field_call(&self, module: usize, expr: &'a Expr, depth: usize) -> bool {
        match expr {
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. })
                if depth < 16 =>
            {
                elts.iter().any(|e| match e {
                    Expr::Call(call) => self.is_field_call(module, &call.func),
                    other => self.holds_field_call(module, other, depth + 1),
                })
            }
            _ => false,
        }
    }

    /// Checks what Python computes for a default that holds `Field(...)` calls (their
    /// arguments, the other items), which pydantic then cannot serialize.
    pub(super) fn check_unserializable(
        &self,
        module: usize,
        expr: &'a Expr,
        depth: usize,
    ) -> R<()> {
        let _nesting = self.ctx.nest(module, span_of(expr))?;
        match expr {
            Expr::Call(call) if self.is_field_call(module, &call.func) => {
                self.field_call(module, call).map(|_| ())
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. })
                if depth < 16 =>
            {
                for e in elts {
                    self.check_unserializable(module, e, depth + 1)?;
                }
                Ok(())
            }
            other => self.eval(module, other).map(|_| ()),
        }
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
                "validation_alias" => match value {
                    Expr::Call(choices)
                        if self.ctx.external_path(module, &choices.func).as_deref()
                            == Some("pydantic.AliasChoices") =>
                    {
                        if !choices.arguments.keywords.is_empty() {
                            return unsupported(module, value, "this `AliasChoices`");
                        }
                        let mut paths = Vec::new();
                        for choice in choices.arguments.args.iter() {
                            paths.push(self.alias_path(module, choice)?);
                        }
                        info.validation_alias = Some(paths);
                        info.validation_alias_str = None;
                    }
                    Expr::Call(_) => {
                        info.validation_alias = Some(vec![self.alias_path(module, value)?]);
                        info.validation_alias_str = None;
                    }
                    _ => match self.eval(module, value)? {
                        Value::String(s) => {
                            info.validation_alias = Some(vec![vec![json!(s)]]);
                            info.validation_alias_str = Some(s);
                        }
                        Value::Null => {}
                        _ => return unsupported(module, value, "this `validation_alias`"),
                    },
                },
                "serialization_alias" => match self.eval(module, value)? {
                    Value::String(s) => info.serialization_alias = Some(s),
                    Value::Null => {}
                    _ => return unsupported(module, value, "this `serialization_alias`"),
                },
                "alias_priority" | "exclude" | "discriminator" | "init_var" | "kw_only"
                | "allow_inf_nan" | "max_digits" | "decimal_places" | "union_mode" | "const"
                | "unique_items" | "regex" => {
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
        // `Field(alias=...)` is the validation and serialization alias unless they are given
        if let Some(alias) = &info.alias {
            if info.validation_alias.is_none() {
                info.validation_alias = Some(vec![vec![json!(alias)]]);
                info.validation_alias_str = Some(alias.clone());
            }
            if info.serialization_alias.is_none() {
                info.serialization_alias = Some(alias.clone());
            }
        }
        Ok(info)
    }

    /// One choice of a validation alias: a string, or `AliasPath(...)` of strings and
    /// integers.
    fn alias_path(&self, module: usize, expr: &'a Expr) -> R<Vec<Value>> {
        match expr {
            Expr::Call(call)
                if self.ctx.external_path(module, &call.func).as_deref()
                    == Some("pydantic.AliasPath")
                    && call.arguments.keywords.is_empty()
                    && !call.arguments.args.is_empty() =>
            {
                let mut path = Vec::new();
                for (index, arg) in call.arguments.args.iter().enumerate() {
                    match self.eval(module, arg)? {
                        v @ Value::String(_) => path.push(v),
                        v @ Value::Number(_) if index > 0 && v.is_i64() => path.push(v),
                        _ => return unsupported(module, arg, "this `AliasPath` item"),
                    }
                }
                Ok(path)
            }
            Expr::Call(_) => self.refuse(module, expr, "this `validation_alias`"),
            _ => match self.eval(module, expr)? {
                Value::String(s) => Ok(vec![json!(s)]),
                _ => unsupported(module, expr, "this alias choice"),
            },
        }
    }

    // ----- configuration

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
        let _nesting = self.ctx.nest(module, span_of(expr))?;
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
                        "pydantic.HttpUrl" => Ty::Url("uri", Some(2083)),
                        "pydantic.AnyUrl"
                        | "pydantic.AnyHttpUrl"
                        | "pydantic.FileUrl"
                        | "pydantic.CockroachDsn"
                        | "pydantic.AmqpDsn"
                        | "pydantic.RedisDsn"
                        | "pydantic.KafkaDsn"
                        | "pydantic.MySQLDsn"
                        | "pydantic.MariaDBDsn" => Ty::Url("uri", None),
                        "pydantic.PostgresDsn" | "pydantic.MongoDsn" => {
                            Ty::Url("multi-host-uri", None)
                        }
                        "pydantic.EmailStr" | "pydantic.NameEmail" => {
                            return unsupported(
                                module,
                                expr,
                                format!(
                                    "the type `{path}`: it needs the `email-validator` package, which domino-py does not install (the reference fails to import the model without it)"
                                ),
                            );
                        }
                        "builtins.tuple" | "typing.Tuple" => Ty::Tuple(Box::new(Ty::Any)),
                        _ => return unsupported(module, expr, format!("the type `{path}`")),
                    };
                    Ok(ty)
                }
                _ => self.refuse(module, expr, "this type annotation"),
            },
            Expr::Subscript(subscript) => {
                let Some(path) = self.ctx.external_path(module, &subscript.value) else {
                    return self
                        .refuse(module, &subscript.value, "this generic type")
                        .map_err(|mut error| {
                            if error.what == "this generic type" {
                                error.span = span_of(expr);
                            }
                            error
                        });
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
}

/// The property name of a field in the (validation mode) schema, as pydantic 2.4.2's
/// `GenerateJsonSchema._get_alias_name` picks it: a plain string alias; else the first
/// path of one string among `AliasChoices`; else the field name (an `AliasPath` alone).
/// And the names an instance may give it by (`None` when a path goes deeper).
fn alias_names(name: &str, info: &FieldInfo<'_>) -> (String, Option<Vec<String>>) {
    let Some(paths) = &info.validation_alias else {
        return (name.to_string(), Some(Vec::new()));
    };
    if let Some(alias) = &info.validation_alias_str {
        return (alias.clone(), Some(vec![alias.clone()]));
    }
    let single = |path: &Vec<Value>| match path.as_slice() {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    };
    let key = paths
        .iter()
        .find_map(single)
        .unwrap_or_else(|| name.to_string());
    let inputs = paths.iter().map(single).collect::<Option<Vec<String>>>();
    (key, inputs)
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

/// A model is configured once: by `model_config` (annotated or not) or `class Config`.
fn configured_once(configured: &mut bool, module: usize, stmt: &Stmt) -> R<()> {
    if *configured {
        return unsupported(module, stmt, "both `class Config` and `model_config`");
    }
    *configured = true;
    Ok(())
}

/// The statements of a class body that define something. A first statement that is a
/// string is the docstring, kept in `doc`; other strings, `...` and `pass` are skipped.
fn defining_statements<'b>(
    body: &'b [Stmt],
    text: &'b str,
    doc: &mut Option<String>,
) -> impl Iterator<Item = &'b Stmt> {
    body.iter()
        .enumerate()
        .filter(move |(index, stmt)| match stmt {
            Stmt::Expr(e) if *index == 0 && string_literal(&e.value).is_some() => {
                if let Expr::StringLiteral(literal) = &*e.value {
                    *doc = Some(python_str(text, literal));
                }
                false
            }
            Stmt::Expr(e) => {
                !matches!(&*e.value, Expr::StringLiteral(_) | Expr::EllipsisLiteral(_))
            }
            Stmt::Pass(_) => false,
            _ => true,
        })
        .map(|(_, stmt)| stmt)
}

/// Python's `==` on values as the reader has them: numbers by value (`1 == 1.0 ==
/// True`), the rest structurally.
fn python_equal(a: &Value, b: &Value) -> bool {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| python_equal(p, q))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// The value of a string literal as Python has it: its tokenizer reads `\r\n` and a lone
/// `\r` in the source as `\n` (a multi-line string of a CRLF file has no `\r`), while
/// the parser keeps them; such a literal is parsed again from its normalized source.
pub(super) fn python_str(text: &str, literal: &ast::ExprStringLiteral) -> String {
    let value = literal.value.to_str();
    let range = literal.range;
    let raw = text
        .get(usize::from(range.start())..usize::from(range.end()))
        .unwrap_or_default();
    if !raw.contains('\r') {
        return value.to_string();
    }
    let normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
    match ruff_python_parser::parse_expression(&format!("({normalized})")) {
        Ok(parsed) => match parsed.expr() {
            Expr::StringLiteral(again) => again.value.to_str().to_string(),
            _ => value.to_string(),
        },
        Err(_) => value.to_string(),
    }
}

fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}
