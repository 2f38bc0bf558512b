//! Building the JSON schema of a model as pydantic 2.4.2 does: properties and `required`,
//! types and constraints, titles and descriptions, `$defs` and `$ref`s, key order.
//!
//! With the `domino-py-iisas` generator, as pydantic 2.11.7 does instead (found by running
//! both on `tests/domino-models/cases`; goldens in `golden-iisas/`):
//! - a `$ref` keeps its sibling keys (`default`, `description`, ...) instead of moving into
//!   `allOf: [{$ref}]`, and siblings equal to the referenced schema's are dropped also next
//!   to a `default` (a field `description` equal to the enum's docstring goes);
//! - the members of a `default` (and of lists in it) keep their order (not sorted);
//! - an enum always has `enum: [...]` (also with one member, where 2.4.2 gives `const`);
//! - a `Literal` has a `type` also with one value;
//! - `dict[str, Any]` (and bare `dict`) gives `additionalProperties: true`; keys with a
//!   `$ref` or constraints give `propertyNames`;
//! - integer bounds of a float field stay integers (`ge=0` -> `minimum: 0`, not `0.0`).

use crate::config::DominoGenerator;

use serde_json::{Map, Value, json};

use crate::source::Span;

use super::resolve::{ClassKey, same_class};
use super::{FieldDef, Generator, Kind, ModelDef, R, Ty, Unsupported, unsupported};

impl<'c, 'a> Generator<'c, 'a> {
    pub(super) fn top_level(&mut self, key: ClassKey<'a>) -> R<Value> {
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
        Ok(sort_schema(Value::Object(schema), None, self.flavor))
    }

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
        Ok(object_schema(key, &model, properties, required))
    }

    fn field_schema(&mut self, field: &FieldDef<'a>) -> R<Map<String, Value>> {
        let schema = self.ty_schema(&field.ty, &field.info.constraints, field)?;
        let default = match (field.info.default, field.info.factory) {
            (Some(default), None) => self.default_json(field, default)?,
            _ => None,
        };
        Ok(self.decorate_field(schema, default, field))
    }

    /// A field's schema around the schema of its type: default, title, description,
    /// examples, extra keys, `$ref` overrides.
    fn decorate_field(
        &self,
        mut schema: Map<String, Value>,
        default: Option<Value>,
        field: &FieldDef<'a>,
    ) -> Map<String, Value> {
        let v2_11 = self.flavor == DominoGenerator::DominoPyIisas;
        if let Some(value) = default {
            if schema.contains_key("$ref") && !v2_11 {
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
            if schema.len() > 1 && !v2_11 {
                schema.remove("$ref");
                let mut wrapped = Map::new();
                wrapped.insert("allOf".into(), json!([{ "$ref": reference }]));
                wrapped.extend(schema);
                schema = wrapped;
            }
        }
        schema
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
            let ctx = self.ctx;
            let _nesting = ctx.nest(module, *node)?;
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
        if let Some(kind) = self.enum_json_type(key, &values)? {
            schema.insert("type".into(), json!(kind));
        }
        if values.len() == 1 && self.flavor == DominoGenerator::DominoPy {
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

    /// The schema of a type. The types that hold types are here; the others, which do
    /// not recurse, in [`leaf_schema`] (the frame of this recursive function stays small).
    fn ty_schema(
        &mut self,
        ty: &Ty<'a>,
        constraints: &[(&'static str, Value, Span)],
        field: &FieldDef<'a>,
    ) -> R<Map<String, Value>> {
        let module = field.module;
        let mut schema = Map::new();
        match ty {
            Ty::List(item) | Ty::Set(item) | Ty::Tuple(item) => {
                reject(constraints, module, &["min_length", "max_length"])?;
                let items = self.ty_schema(item, &[], field)?;
                schema.insert("items".into(), Value::Object(items));
                schema.insert("type".into(), json!("array"));
                if matches!(ty, Ty::Set(_)) {
                    schema.insert("uniqueItems".into(), json!(true));
                }
                lengths(&mut schema, constraints, "minItems", "maxItems");
            }
            Ty::Dict(keys, values) => {
                reject(constraints, module, &[])?;
                schema.insert("type".into(), json!("object"));
                let mut keys = self.ty_schema(keys, &[], field)?;
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
                } else if self.flavor == DominoGenerator::DominoPyIisas {
                    // `dict[str, Any]`: any key, any value
                    schema.insert("additionalProperties".into(), json!(true));
                }
                if self.flavor == DominoGenerator::DominoPyIisas {
                    let reference = keys.contains_key("$ref");
                    if !reference {
                        keys.remove("title");
                    }
                    if reference || keys.get("type") == Some(&json!("string")) && keys.len() > 1 {
                        keys.remove("type");
                        schema.insert("propertyNames".into(), Value::Object(keys));
                    }
                }
            }
            Ty::Model(key) => {
                reject(constraints, module, &[])?;
                return self.def_ref(*key, Kind::Model, &field.span, module);
            }
            Ty::Enum(key) => {
                reject(constraints, module, &[])?;
                return self.def_ref(*key, Kind::Enum, &field.span, module);
            }
            Ty::Union(members) => return self.union_schema(members, constraints, field),
            leaf => return leaf_schema(leaf, constraints, module, self.flavor),
        }
        Ok(schema)
    }

    fn union_schema(
        &mut self,
        members: &[Ty<'a>],
        constraints: &[(&'static str, Value, Span)],
        field: &FieldDef<'a>,
    ) -> R<Map<String, Value>> {
        let null = json!({"type": "null"});
        let non_null: Vec<&Ty<'a>> = members.iter().filter(|m| **m != Ty::NoneT).collect();
        let nullable = non_null.len() < members.len();
        let inner = match non_null.as_slice() {
            [] => return Ok(null.as_object().cloned().unwrap_or_default()),
            [one] => self.ty_schema(one, constraints, field)?,
            many => {
                reject(constraints, field.module, &[])?;
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
        match flattened_anyof(vec![inner, null]) {
            Value::Object(map) => Ok(map),
            _ => Ok(Map::new()),
        }
    }
}

/// The schema of a model from the schemas of its fields.
fn object_schema(
    key: ClassKey<'_>,
    model: &ModelDef<'_>,
    properties: Map<String, Value>,
    required: Vec<Value>,
) -> Map<String, Value> {
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
    schema
}

/// A constraint the type does not take is refused at the constraint.
fn reject(constraints: &[(&'static str, Value, Span)], module: usize, allowed: &[&str]) -> R<()> {
    match constraints.iter().find(|(k, _, _)| !allowed.contains(k)) {
        Some((k, _, span)) => Err(Unsupported {
            module,
            span: *span,
            what: format!("the constraint `{k}` on this type"),
        }),
        None => Ok(()),
    }
}

/// Length constraints (and `pattern`) under their JSON schema names.
fn lengths(
    schema: &mut Map<String, Value>,
    constraints: &[(&'static str, Value, Span)],
    min: &str,
    max: &str,
) {
    for (k, v, _) in constraints {
        let key = match *k {
            "min_length" => min,
            "max_length" => max,
            _ => "pattern",
        };
        schema.insert(key.into(), v.clone());
    }
}

/// The schema of a type that holds no other type.
fn leaf_schema(
    ty: &Ty<'_>,
    constraints: &[(&'static str, Value, Span)],
    module: usize,
    flavor: DominoGenerator,
) -> R<Map<String, Value>> {
    let mut schema = Map::new();
    match ty {
        Ty::Str => {
            reject(
                constraints,
                module,
                &["min_length", "max_length", "pattern"],
            )?;
            schema.insert("type".into(), json!("string"));
            lengths(&mut schema, constraints, "minLength", "maxLength");
        }
        Ty::Int | Ty::Float => {
            reject(
                constraints,
                module,
                &["gt", "ge", "lt", "le", "multiple_of"],
            )?;
            let is_int = matches!(ty, Ty::Int);
            if is_int && let Some((k, _, span)) = constraints.iter().find(|(_, v, _)| v.is_f64()) {
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
            if !is_int && flavor == DominoGenerator::DominoPy {
                // pydantic 2.4.2 validates the bounds of a float field as floats
                for value in schema.values_mut() {
                    if let Some(i) = value.as_i64() {
                        *value = json!(i as f64);
                    }
                }
            }
        }
        Ty::Bool => {
            reject(constraints, module, &[])?;
            schema.insert("type".into(), json!("boolean"));
        }
        Ty::NoneT => {
            reject(constraints, module, &[])?;
            schema.insert("type".into(), json!("null"));
        }
        Ty::Any => reject(constraints, module, &[])?,
        Ty::Format(format) => {
            reject(constraints, module, &[])?;
            schema.insert("format".into(), json!(format));
            schema.insert("type".into(), json!("string"));
        }
        Ty::Url(format, max_length) => {
            reject(constraints, module, &[])?;
            schema.insert("format".into(), json!(format));
            if let Some(max) = max_length {
                schema.insert("maxLength".into(), json!(max));
            }
            schema.insert("minLength".into(), json!(1));
            schema.insert("type".into(), json!("string"));
        }
        Ty::Secret => {
            reject(constraints, module, &[])?;
            schema.insert("format".into(), json!("password"));
            schema.insert("type".into(), json!("string"));
            schema.insert("writeOnly".into(), json!(true));
        }
        Ty::Literal(values) => {
            reject(constraints, module, &[])?;
            if values.len() == 1 {
                schema.insert("const".into(), values[0].clone());
            } else {
                schema.insert("enum".into(), Value::Array(values.clone()));
            }
            // 2.11 types a single value too (`Literal[None]`, typed "null" there, is not
            // read statically)
            if (values.len() > 1 || flavor == DominoGenerator::DominoPyIisas)
                && let Some(kind) = json_type_of_all(values)
            {
                schema.insert("type".into(), json!(kind));
            }
        }
        // the types that hold types: `Generator::ty_schema`
        Ty::List(_)
        | Ty::Set(_)
        | Ty::Tuple(_)
        | Ty::Dict(..)
        | Ty::Model(_)
        | Ty::Enum(_)
        | Ty::Union(_) => {}
    }
    Ok(schema)
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
pub(super) fn json_type_of_all(values: &[Value]) -> Option<&'static str> {
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
/// `properties`. pydantic 2.11.7 `GenerateJsonSchema.sort`: nor those of `default`, and
/// list items keep the key of their list (the objects in a `default` list stay unsorted).
fn sort_schema(mut value: Value, parent_key: Option<&str>, flavor: DominoGenerator) -> Value {
    sort_schema_in_place(
        &mut value,
        parent_key,
        flavor == DominoGenerator::DominoPyIisas,
    );
    value
}

/// [`sort_schema`] without rebuilding a map: the entries are sorted where they
/// are (the map keeps the hashes of its keys).
fn sort_schema_in_place(value: &mut Value, parent_key: Option<&str>, v2_11: bool) {
    match value {
        Value::Object(map) => {
            let keep = parent_key == Some("properties") || v2_11 && parent_key == Some("default");
            if !keep {
                map.sort_keys();
            }
            for (key, value) in map.iter_mut() {
                sort_schema_in_place(value, Some(key), v2_11);
            }
        }
        Value::Array(items) => {
            let parent_key = if v2_11 { parent_key } else { None };
            for item in items {
                sort_schema_in_place(item, parent_key, v2_11);
            }
        }
        _ => {}
    }
}

/// Python's `str.title()`.
pub(super) fn python_title(text: &str) -> String {
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
pub(super) fn cleandoc(doc: &str) -> String {
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
