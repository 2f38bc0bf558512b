//! Static evaluation of values: a Python expression (a default, a `Field` argument, a
//! constant) to its JSON-mode value, model instances validated as pydantic does, and how
//! a default that pydantic never validates is serialized.

use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Number, Operator, UnaryOp};
use serde_json::{Map, Value, json};

use crate::python::span_of;
use crate::source::Span;

use super::resolve::{ClassKey, Sym};
use super::{FieldDef, Generator, Kind, ModelDef, R, Ty, Unsupported, unsupported};

impl<'c, 'a> Generator<'c, 'a> {
    /// The JSON of a field's default in its schema; `None` when pydantic 2.4.2 cannot
    /// serialize it (a `Field(...)` in a tuple: a trailing comma after `= Field(...)`)
    /// and leaves `default` out, with only a warning. The field stays optional.
    pub(super) fn default_json(&self, field: &FieldDef<'a>, default: &'a Expr) -> R<Option<Value>> {
        if field.info.unserializable {
            self.check_unserializable(field.module, default, 0)?;
            return Ok(None);
        }
        self.eval(field.module, default).map(Some)
    }

    /// A Python expression evaluated to its JSON-mode value (`to_jsonable_python`).
    pub(super) fn eval(&self, module: usize, expr: &'a Expr) -> R<Value> {
        self.eval_depth(module, expr, 0)
    }

    fn eval_depth(&self, module: usize, expr: &'a Expr, depth: usize) -> R<Value> {
        if depth > 64 {
            return unsupported(module, expr, "a value nested too deeply");
        }
        let ctx = self.ctx;
        let _nesting = ctx.nest(module, span_of(expr))?;
        ctx.spend(module, span_of(expr), 1)?;
        let value = self.eval_node(module, expr, depth + 1)?;
        let made = match &value {
            Value::String(s) => s.len(),
            Value::Array(items) => items.len(),
            Value::Object(map) => map.len(),
            _ => 0,
        };
        ctx.spend(module, span_of(expr), made)?;
        Ok(value)
    }

    fn eval_node(&self, module: usize, expr: &'a Expr, d: usize) -> R<Value> {
        match expr {
            Expr::StringLiteral(s) => Ok(Value::String(super::read::python_str(
                &self.ctx.modules[module].file.text,
                s,
            ))),
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
            Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
                self.eval_items(module, elts, d)
            }
            Expr::Set(set) if set.elts.len() <= 1 => self.eval_items(module, &set.elts, d),
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
                _ => self.refuse(module, expr, "this name as a value"),
            },
            Expr::Attribute(_) if matches!(self.ctx.resolve(module, expr), Sym::Constant(..)) => {
                match self.ctx.resolve(module, expr) {
                    Sym::Constant(m, value) => self.eval_depth(m, value, d),
                    _ => unsupported(module, expr, "this attribute as a value"),
                }
            }
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
                    _ => self.refuse(module, expr, "this attribute as a value"),
                }
            }
            Expr::Call(call) => self.eval_call(module, call, d),
            _ => unsupported(module, expr, "this expression as a value"),
        }
    }

    /// The items of a list, tuple or set, as a JSON array.
    fn eval_items(&self, module: usize, items: &'a [Expr], depth: usize) -> R<Value> {
        items
            .iter()
            .map(|e| self.eval_depth(module, e, depth))
            .collect::<R<Vec<_>>>()
            .map(Value::Array)
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
                    "json.dumps" => self.eval_json_dumps(module, call, depth),
                    _ => unsupported(module, call, "a value computed by a function call"),
                }
            }
            _ => self
                .refuse(module, &call.func, "a value computed by a function call")
                .map_err(|mut error| {
                    if error.what == "a value computed by a function call" {
                        error.span = span_of(call);
                    }
                    error
                }),
        }
    }

    /// `json.dumps(<literal>)`, also with `indent=` and `sort_keys=`: the text Python
    /// writes. Only literals (dicts with string keys, lists, tuples, strings, numbers,
    /// booleans, `None`): anything else may serialize differently (an enum member, a
    /// set) or not at all.
    fn eval_json_dumps(&self, module: usize, call: &'a ast::ExprCall, depth: usize) -> R<Value> {
        let arguments = &call.arguments;
        let [value] = &arguments.args[..] else {
            return unsupported(module, call, "this `json.dumps` call");
        };
        if !is_json_literal(value, 0) {
            return unsupported(
                module,
                value,
                "`json.dumps` of something other than a literal",
            );
        }
        let mut indent = None;
        let mut sort_keys = false;
        for keyword in arguments.keywords.iter() {
            let Some(arg) = &keyword.arg else {
                return unsupported(module, keyword, "`**kwargs` in `json.dumps`");
            };
            let given = self.eval_depth(module, &keyword.value, depth)?;
            match (arg.as_str(), &given) {
                ("indent", Value::Null) => indent = None,
                ("indent", Value::Number(n)) if n.as_u64().is_some_and(|n| n <= 64) => {
                    indent = n.as_u64().map(|n| n as usize)
                }
                ("sort_keys", Value::Bool(b)) => sort_keys = *b,
                ("ensure_ascii", Value::Bool(true))
                | ("allow_nan", Value::Bool(true))
                | ("check_circular", Value::Bool(true))
                | ("skipkeys", Value::Bool(false)) => {}
                _ => {
                    return unsupported(
                        module,
                        keyword,
                        format!("the `json.dumps` argument `{arg}` with this value"),
                    );
                }
            }
        }
        let data = self.eval_depth(module, value, depth)?;
        let text = crate::pyrepr::dumps_with(&data, indent, sort_keys);
        self.ctx.spend(module, span_of(call), text.len())?;
        Ok(Value::String(text))
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
        let _nesting = self.ctx.nest(module, span_of(node))?;
        let model = self.scratch_model(key)?;
        self.validate_with(&model, given, module, node)
    }

    /// A model definition read lazily through a fresh generator (no defs needed) that
    /// continues this one's recursion: the models being visited, the hierarchy depth.
    fn scratch_model(&self, key: ClassKey<'a>) -> R<Rc<ModelDef<'a>>> {
        let mut scratch = Generator::new(self.ctx);
        scratch.visiting = self.visiting.clone();
        scratch.depth = self.depth;
        scratch.model(key)
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
            let Some(inputs) = &field.inputs else {
                return unsupported(
                    module,
                    node,
                    format!(
                        "an instance of a model whose field `{}` has an `AliasPath`",
                        field.name
                    ),
                );
            };
            let mut provided = None;
            for input in inputs {
                if let Some(value) = given.remove(input) {
                    provided.get_or_insert(value);
                }
            }
            if (inputs.is_empty() || model.config.populate_by_name)
                && let Some(value) = given.remove(&field.name)
            {
                provided.get_or_insert(value);
            }
            let value = match provided {
                Some(value) => self.coerce(value, &field.ty, module, node)?,
                None => match self.omitted_value(field)? {
                    Some((value, _)) => {
                        serialize_unvalidated(value, &field.ty, module, span_of(node))?
                    }
                    None => {
                        return unsupported(
                            module,
                            node,
                            format!(
                                "a model instance without the required field `{}`",
                                field.key
                            ),
                        );
                    }
                },
            };
            out.insert(field.output.clone(), value);
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

    /// The value of a field an instance leaves out, not serialized yet, with the
    /// expression that gives it (its default or its `default_factory`); `None` when the
    /// field is required.
    fn omitted_value(&self, field: &FieldDef<'a>) -> R<Option<(Value, &'a Expr)>> {
        if let Some(default) = field.info.default {
            if field.info.unserializable {
                return unsupported(
                    field.module,
                    default,
                    "an instance of a model whose default pydantic cannot serialize",
                );
            }
            return Ok(Some((self.eval(field.module, default)?, default)));
        }
        match field.info.factory {
            Some(factory) => Ok(Some((self.eval_factory(field.module, factory)?, factory))),
            None => Ok(None),
        }
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
                let _nesting = self.ctx.nest(module, span_of(factory))?;
                let model = self.scratch_model(key)?;
                if !matches!(factory, Expr::Name(_) | Expr::Attribute(_)) || model.hooks {
                    return unsupported(module, factory, "this `default_factory`");
                }
                let mut out = Map::new();
                for field in &model.fields {
                    let Some((value, source)) = self.omitted_value(field)? else {
                        return unsupported(
                            module,
                            factory,
                            "a `default_factory` model with required fields",
                        );
                    };
                    // A default is reported at this factory, a made value at its own.
                    let at = if field.info.default.is_some() {
                        factory
                    } else {
                        source
                    };
                    let value = serialize_unvalidated(value, &field.ty, module, span_of(at))?;
                    out.insert(field.output.clone(), value);
                }
                Ok(Value::Object(out))
            }
            _ => self.refuse(module, factory, "this `default_factory`"),
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
                        // validation normalizes a URL (`http://x` becomes `http://x/`)
                        Ty::Url(..) => (value.is_string(), false),
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

/// A literal `json.dumps` writes as the reader evaluates it.
fn is_json_literal(expr: &Expr, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match expr {
        Expr::StringLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(_) | Number::Float(_),
            ..
        }) => true,
        Expr::UnaryOp(unary) => {
            matches!(unary.op, UnaryOp::USub | UnaryOp::UAdd)
                && matches!(&*unary.operand, Expr::NumberLiteral(_))
                && is_json_literal(&unary.operand, depth + 1)
        }
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().all(|e| is_json_literal(e, depth + 1))
        }
        Expr::Dict(dict) => dict.items.iter().all(|item| {
            matches!(&item.key, Some(Expr::StringLiteral(_)))
                && is_json_literal(&item.value, depth + 1)
        }),
        _ => false,
    }
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
