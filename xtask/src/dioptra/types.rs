//! Dioptra's parameter type system: the declared `plugin_param_types` of one
//! resource TOML, their validation (undefined references, cycles with their
//! path, the structures that crash Dioptra 1.2.2, duplicate union members) and
//! the type compatibility and literal inference rules of Dioptra's task engine
//! (`task_engine/type_registry.py`, `type_validation.py`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::Value;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::doc::{Document, pointer_child};
use crate::suggest;

/// The builtin type names of Dioptra's task engine.
pub const BUILTIN_TYPES: [&str; 6] = ["any", "string", "integer", "number", "boolean", "null"];

/// Whether `name` is exactly a builtin type name.
pub fn is_builtin(name: &str) -> bool {
    BUILTIN_TYPES.contains(&name)
}

/// A type expression: a name (builtin or declared) or an anonymous structure.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    /// any, string, integer, number, boolean, null, or a declared type
    Named(String),
    List(Box<TypeExpr>),
    Tuple(Vec<TypeExpr>),
    /// `{mapping: [K, V]}`
    Mapping(Box<TypeExpr>, Box<TypeExpr>),
    /// `{mapping: {prop: T}}`
    Enumerated(Vec<(String, TypeExpr)>),
    Union(Vec<TypeExpr>),
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Named(name) => write!(f, "{name}"),
            TypeExpr::List(elt) => write!(f, "list[{elt}]"),
            TypeExpr::Tuple(elts) => write!(f, "tuple[{}]", join(elts)),
            TypeExpr::Mapping(k, v) => write!(f, "mapping[{k}, {v}]"),
            TypeExpr::Enumerated(props) => {
                let props: Vec<String> = props.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                write!(f, "mapping{{{}}}", props.join(", "))
            }
            TypeExpr::Union(members) => write!(f, "union[{}]", join(members)),
        }
    }
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One entry of `plugin_param_types`.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    pub name: String,
    /// JSON pointer of the entry, e.g. `/plugin_param_types/2`.
    pub pointer: String,
    /// `None` = a simple type (possibly with `is_a`).
    pub structure: Option<TypeExpr>,
    pub is_a: Option<String>,
}

/// The declared types of one resource TOML.
#[derive(Default, Debug)]
pub struct TypeRegistry {
    /// In file order.
    pub decls: Vec<TypeDecl>,
    /// Declared types that cannot be built (a problem in them or in a type they
    /// reference); type checks involving them are skipped.
    pub broken: BTreeSet<String>,
}

const STRUCTURE_KEYS: [&str; 5] = ["is_a", "list", "tuple", "mapping", "union"];

/// A problem found while reading one structure.
struct Problem {
    code: Code,
    pointer: String,
    message: String,
    help: Option<String>,
}

struct Parser<'a> {
    type_name: &'a str,
    problems: Vec<Problem>,
    /// Every type name referenced, with the pointer of the reference.
    refs: Vec<(String, String)>,
    /// Mapping key expressions to check once every name is known.
    keys: Vec<(TypeExpr, String)>,
}

impl Parser<'_> {
    fn invalid(&mut self, pointer: &str, message: String, help: Option<String>) {
        self.problems.push(Problem {
            code: Code::DioptraInvalidStructure,
            pointer: pointer.to_string(),
            message: format!("In definition of type \"{}\": {message}", self.type_name),
            help,
        });
    }

    /// A nested type: a name or an anonymous structure.
    fn nested(&mut self, value: &Value, pointer: &str) -> Option<TypeExpr> {
        match value {
            Value::String(name) => {
                self.refs.push((name.clone(), pointer.to_string()));
                Some(TypeExpr::Named(name.clone()))
            }
            Value::Object(_) => match self.structure(value, pointer, true) {
                (Some(expr), _) => Some(expr),
                _ => None,
            },
            other => {
                self.invalid(
                    pointer,
                    format!(
                        "a nested type must be a type name or a structure table, not {}",
                        crate::doc::toml_type_name(other)
                    ),
                    None,
                );
                None
            }
        }
    }

    /// A structure table. Returns the structure and the `is_a` name.
    fn structure(
        &mut self,
        value: &Value,
        pointer: &str,
        nested: bool,
    ) -> (Option<TypeExpr>, Option<String>) {
        let Value::Object(map) = value else {
            self.invalid(
                pointer,
                format!(
                    "`structure` must be a table, not {}",
                    crate::doc::toml_type_name(value)
                ),
                None,
            );
            return (None, None);
        };
        let mut present = Vec::new();
        for key in map.keys() {
            if STRUCTURE_KEYS.contains(&key.as_str()) {
                present.push(key.as_str());
            } else {
                self.invalid(
                    &pointer_child(pointer, key),
                    format!("unknown structure key `{key}`"),
                    Some("a structure has exactly one of `is_a`, `list`, `tuple`, `mapping`, `union`".into()),
                );
            }
        }
        if present.len() > 1 {
            self.invalid(
                &pointer_child(pointer, present[1]),
                format!(
                    "a type may have only one of is_a, list, tuple, mapping, union; found {}",
                    present
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(
                    "Dioptra 1.2.2 fails with an internal server error (HTTP 500) on this type"
                        .into(),
                ),
            );
        }
        let Some(&key) = present.first() else {
            if nested {
                self.invalid(
                    pointer,
                    "an anonymous nested type must have a structure (list, tuple, mapping or union)"
                        .into(),
                    Some("Dioptra 1.2.2 fails with an internal server error (HTTP 500) on this type".into()),
                );
            }
            return (None, None);
        };
        let child = pointer_child(pointer, key);
        let inner = &map[key];
        match key {
            "is_a" => {
                if nested {
                    self.invalid(
                        &child,
                        "an anonymous nested type cannot be a simple type with `is_a`".into(),
                        Some("Dioptra 1.2.2 fails with an internal server error (HTTP 500) on this type".into()),
                    );
                    return (None, None);
                }
                match inner {
                    Value::String(name) => {
                        self.refs.push((name.clone(), child));
                        (None, Some(name.clone()))
                    }
                    other => {
                        self.invalid(
                            &child,
                            format!(
                                "`is_a` must name a simple type, not {}",
                                crate::doc::toml_type_name(other)
                            ),
                            None,
                        );
                        (None, None)
                    }
                }
            }
            "list" => (
                self.nested(inner, &child)
                    .map(|e| TypeExpr::List(Box::new(e))),
                None,
            ),
            "tuple" => match inner {
                Value::Array(items) => {
                    let elts: Vec<Option<TypeExpr>> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.nested(item, &format!("{child}/{i}")))
                        .collect();
                    (
                        elts.into_iter()
                            .collect::<Option<Vec<_>>>()
                            .map(TypeExpr::Tuple),
                        None,
                    )
                }
                other => {
                    self.invalid(
                        &child,
                        format!(
                            "`tuple` must be an array of types, not {}",
                            crate::doc::toml_type_name(other)
                        ),
                        None,
                    );
                    (None, None)
                }
            },
            "mapping" => match inner {
                Value::Array(items) if items.len() == 2 => {
                    let key_expr = self.nested(&items[0], &format!("{child}/0"));
                    let value_expr = self.nested(&items[1], &format!("{child}/1"));
                    if let Some(key_expr) = &key_expr {
                        self.keys.push((key_expr.clone(), format!("{child}/0")));
                    }
                    match (key_expr, value_expr) {
                        (Some(k), Some(v)) => {
                            (Some(TypeExpr::Mapping(Box::new(k), Box::new(v))), None)
                        }
                        _ => (None, None),
                    }
                }
                Value::Array(items) => {
                    self.invalid(
                        &child,
                        format!(
                            "a key/value `mapping` must be a two-element array [key type, value type], found {} elements",
                            items.len()
                        ),
                        Some("Dioptra 1.2.2 fails with an internal server error (HTTP 500) on this type".into()),
                    );
                    (None, None)
                }
                Value::Object(props) => {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for (prop, prop_value) in props {
                        match self.nested(prop_value, &pointer_child(&child, prop)) {
                            Some(expr) => out.push((prop.clone(), expr)),
                            None => ok = false,
                        }
                    }
                    (ok.then_some(TypeExpr::Enumerated(out)), None)
                }
                other => {
                    self.invalid(
                        &child,
                        format!(
                            "`mapping` must be [key type, value type] or a table of properties, not {}",
                            crate::doc::toml_type_name(other)
                        ),
                        None,
                    );
                    (None, None)
                }
            },
            _ => match inner {
                Value::Array(items) if !items.is_empty() => {
                    let members: Vec<Option<TypeExpr>> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.nested(item, &format!("{child}/{i}")))
                        .collect();
                    (
                        members
                            .into_iter()
                            .collect::<Option<Vec<_>>>()
                            .map(TypeExpr::Union),
                        None,
                    )
                }
                other => {
                    self.invalid(
                        &child,
                        if other.is_array() {
                            "`union` must list at least one member type".to_string()
                        } else {
                            format!(
                                "`union` must be an array of types, not {}",
                                crate::doc::toml_type_name(other)
                            )
                        },
                        None,
                    );
                    (None, None)
                }
            },
        }
    }
}

impl TypeRegistry {
    /// Reads `/plugin_param_types` of one resource TOML and validates every type:
    /// undefined references, cycles (with their path), the structures that crash
    /// Dioptra, duplicate union members. Each problem is reported once, on the
    /// type. Names reserved as builtins and name uniqueness are not checked here.
    pub fn from_document(document: &Document) -> (TypeRegistry, Vec<Diagnostic>) {
        let mut registry = TypeRegistry::default();
        let mut diagnostics = Vec::new();
        let Some(Value::Array(entries)) = document.get("/plugin_param_types") else {
            return (registry, diagnostics);
        };
        let mut all_problems: Vec<(String, Problem)> = Vec::new();
        let mut all_refs: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let mut all_keys: Vec<(String, Vec<(TypeExpr, String)>)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let pointer = format!("/plugin_param_types/{i}");
            let Some(name) = entry.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut parser = Parser {
                type_name: name,
                problems: Vec::new(),
                refs: Vec::new(),
                keys: Vec::new(),
            };
            let (structure, is_a) = match entry.get("structure") {
                None | Some(Value::Null) => (None, None),
                Some(value) => parser.structure(value, &format!("{pointer}/structure"), false),
            };
            all_problems.extend(parser.problems.into_iter().map(|p| (name.to_string(), p)));
            all_refs.push((name.to_string(), parser.refs));
            all_keys.push((name.to_string(), parser.keys));
            registry.decls.push(TypeDecl {
                name: name.to_string(),
                pointer,
                structure,
                is_a,
            });
        }
        let mut broken: HashSet<String> = all_problems.iter().map(|(n, _)| n.clone()).collect();

        // Undefined references.
        for (type_name, refs) in &all_refs {
            let mut seen = HashSet::new();
            for (reference, pointer) in refs {
                if !registry.is_known(reference) && seen.insert(reference.clone()) {
                    broken.insert(type_name.clone());
                    let mut problem = Problem {
                        code: Code::DioptraUndefinedType,
                        pointer: pointer.clone(),
                        message: format!(
                            "In definition of type \"{type_name}\": reference to undefined type: {reference}"
                        ),
                        help: None,
                    };
                    if let Some(best) = registry.closest_name(reference) {
                        problem.help = Some(format!("did you mean `{best}`?"));
                    } else {
                        problem.help = Some(format!(
                            "declare `{reference}` in `plugin_param_types` of this file or use a builtin type ({})",
                            BUILTIN_TYPES.join(", ")
                        ));
                    }
                    all_problems.push((type_name.clone(), problem));
                }
            }
        }

        // Mapping keys must be exactly `string` or `integer`.
        for (type_name, keys) in &all_keys {
            for (key, pointer) in keys {
                let bad = match key {
                    TypeExpr::Named(name) => {
                        name != "string" && name != "integer" && registry.is_known(name)
                    }
                    _ => true,
                };
                if bad {
                    broken.insert(type_name.clone());
                    all_problems.push((
                        type_name.clone(),
                        Problem {
                            code: Code::DioptraInvalidStructure,
                            pointer: pointer.clone(),
                            message: format!(
                                "In definition of type \"{type_name}\": mapping key type must be `string` or `integer`, not `{key}`"
                            ),
                            help: Some("Dioptra 1.2.2 fails with an internal server error (HTTP 500) on this type".into()),
                        },
                    ));
                }
            }
        }

        // `is_a` must name a simple type.
        for decl in &registry.decls {
            let Some(super_name) = &decl.is_a else {
                continue;
            };
            if let Some(target) = registry.get(super_name)
                && target.structure.is_some()
            {
                broken.insert(decl.name.clone());
                all_problems.push((
                    decl.name.clone(),
                    Problem {
                        code: Code::DioptraInvalidStructure,
                        pointer: format!("{}/structure/is_a", decl.pointer),
                        message: format!(
                            "In definition of type \"{}\": super-type must be a simple type: {super_name} is a structured or union type",
                            decl.name
                        ),
                        help: Some("Dioptra 1.2.2 fails with an internal server error (HTTP 500) on this type".into()),
                    },
                ));
            }
        }

        // Reference cycles.
        for (start, path) in registry.cycles() {
            for name in &path {
                broken.insert(name.clone());
            }
            let decl = registry.get(&start).expect("cycle members are declared");
            all_problems.push((
                start.clone(),
                Problem {
                    code: Code::DioptraTypeCycle,
                    pointer: format!("{}/name", decl.pointer),
                    message: format!("Type reference cycle detected: {}", path.join(" > ")),
                    help: Some(
                        "a type cannot contain itself, directly or through other types".into(),
                    ),
                },
            ));
        }

        // Duplicate union members (of a declared union type).
        for decl in &registry.decls {
            let Some(TypeExpr::Union(members)) = &decl.structure else {
                continue;
            };
            let mut dupes: Vec<&TypeExpr> = Vec::new();
            for (i, member) in members.iter().enumerate() {
                if members[..i].contains(member) && !dupes.contains(&member) {
                    dupes.push(member);
                }
            }
            if !dupes.is_empty() {
                let index = members.iter().rposition(|m| m == dupes[0]).unwrap_or(0);
                all_problems.push((
                    decl.name.clone(),
                    Problem {
                        code: Code::DioptraDuplicateUnionMember,
                        pointer: format!("{}/structure/union/{index}", decl.pointer),
                        message: format!(
                            "In definition of type \"{}\": duplicate member types encountered: {}",
                            decl.name,
                            join(&dupes)
                        ),
                        help: Some("Dioptra's validator reports this as a warning, but the import of Dioptra 1.2 rejects it; remove the repeated member".into()),
                    },
                ));
            }
        }

        // Anything that depends on a broken type cannot be built either.
        loop {
            let before = broken.len();
            for decl in &registry.decls {
                if !broken.contains(&decl.name)
                    && registry
                        .references(&decl.name)
                        .iter()
                        .any(|r| broken.contains(r))
                {
                    broken.insert(decl.name.clone());
                }
            }
            if broken.len() == before {
                break;
            }
        }
        registry.broken = broken.into_iter().collect();

        for (_, problem) in all_problems {
            let node = document.node(&problem.pointer);
            let span = if problem.pointer.ends_with("/name") {
                node.value
            } else {
                node.key.map_or(node.value, |key| {
                    if problem.code == Code::DioptraUndefinedType {
                        node.value
                    } else {
                        key
                    }
                })
            };
            let mut diagnostic =
                Diagnostic::error(problem.code, problem.message).at(&document.file, span);
            if let Some(help) = problem.help {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
        }
        (registry, diagnostics)
    }

    /// The first declaration named `name` (builtins are never declarations).
    pub fn get(&self, name: &str) -> Option<&TypeDecl> {
        if is_builtin(name) {
            return None;
        }
        self.decls.iter().find(|d| d.name == name)
    }

    /// Builtin or declared.
    pub fn is_known(&self, name: &str) -> bool {
        is_builtin(name) || self.decls.iter().any(|d| d.name == name)
    }

    /// Declared types named in that type's structure or `is_a` (sorted, dedup).
    pub fn references(&self, name: &str) -> Vec<String> {
        let Some(decl) = self.get(name) else {
            return Vec::new();
        };
        let mut out = BTreeSet::new();
        if let Some(super_name) = &decl.is_a
            && self.get(super_name).is_some()
        {
            out.insert(super_name.clone());
        }
        if let Some(structure) = &decl.structure {
            collect_names(structure, &mut |n| {
                if self.get(n).is_some() {
                    out.insert(n.to_string());
                }
            });
        }
        out.into_iter().collect()
    }

    /// Whether a type can be built (known, and not broken).
    pub fn is_sound(&self, name: &str) -> bool {
        self.is_known(name) && !self.broken.contains(name)
    }

    fn closest_name(&self, name: &str) -> Option<String> {
        let candidates = BUILTIN_TYPES
            .into_iter()
            .chain(self.decls.iter().map(|d| d.name.as_str()));
        suggest::did_you_mean(name, candidates).map(str::to_string)
    }

    /// Every reference cycle among declared types, once each: the first type of
    /// the cycle in file order and the path `a > b > a`.
    pub fn cycles(&self) -> Vec<(String, Vec<String>)> {
        let mut order: HashMap<&str, usize> = HashMap::new();
        for (i, decl) in self.decls.iter().enumerate() {
            order.entry(decl.name.as_str()).or_insert(i);
        }
        let names: Vec<&str> = {
            let mut v: Vec<(&str, usize)> = order.iter().map(|(k, v)| (*k, *v)).collect();
            v.sort_by_key(|(_, i)| *i);
            v.into_iter().map(|(k, _)| k).collect()
        };
        let edges: HashMap<&str, Vec<String>> =
            names.iter().map(|n| (*n, self.references(n))).collect();
        find_cycles(&names, &edges)
    }
}

/// Every cycle of a directed graph, once per strongly connected component: the
/// first node of the cycle in `names` order and the path `a > b > a`.
pub fn find_cycles(
    names: &[&str],
    edges: &HashMap<&str, Vec<String>>,
) -> Vec<(String, Vec<String>)> {
    let order: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // The graph over `names`: a repeated name is one node, edges to other names are ignored.
    let mut graph: DiGraph<&str, ()> = DiGraph::new();
    let mut nodes: HashMap<&str, NodeIndex> = HashMap::new();
    for &name in names {
        nodes.entry(name).or_insert_with(|| graph.add_node(name));
    }
    for node in graph.node_indices() {
        let name = graph[node];
        for target in &edges[name] {
            if let Some(&target) = nodes.get(target.as_str()) {
                graph.add_edge(node, target, ());
            }
        }
    }
    let sccs = tarjan_scc(&graph).into_iter().map(|component| {
        component
            .into_iter()
            .map(|n| graph[n])
            .collect::<Vec<&str>>()
    });
    let mut out = Vec::new();
    for scc in sccs {
        let start = *scc
            .iter()
            .min_by_key(|n| order[*n])
            .expect("components are not empty");
        let self_loop = edges[start].iter().any(|r| r == start);
        if scc.len() == 1 && !self_loop {
            continue;
        }
        // Shortest path from start back to start inside the component.
        let members: HashSet<&str> = scc.iter().copied().collect();
        let mut previous: HashMap<&str, &str> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(node) = queue.pop_front() {
            for next in &edges[node] {
                let next = next.as_str();
                if next == start {
                    closing = Some(node);
                    break 'search;
                }
                if members.contains(next) && !previous.contains_key(next) && next != start {
                    previous.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        let Some(mut node) = closing else { continue };
        let mut chain = Vec::new();
        while node != start {
            chain.push(node.to_string());
            node = previous[node];
        }
        chain.reverse();
        let mut path = vec![start.to_string()];
        path.extend(chain);
        path.push(start.to_string());
        out.push((start.to_string(), path));
    }
    out.sort_by_key(|(start, _)| order[start.as_str()]);
    out
}

impl TypeRegistry {
    /// The semantic type of a named type, or `None` when it cannot be built.
    pub fn sem_named(&self, name: &str) -> Option<SemType> {
        self.sem_named_depth(name, 0)
    }

    /// The semantic type of an expression, or `None` when it cannot be built.
    pub fn sem_expr(&self, expr: &TypeExpr) -> Option<SemType> {
        self.sem_expr_depth(expr, 0)
    }

    fn sem_named_depth(&self, name: &str, depth: usize) -> Option<SemType> {
        if depth > 64 {
            return None;
        }
        match name {
            "integer" => return Some(SemType::simple("integer", vec!["number".into()])),
            n if is_builtin(n) => return Some(SemType::simple(n, Vec::new())),
            _ => {}
        }
        if self.broken.contains(name) {
            return None;
        }
        let decl = self.get(name)?;
        match &decl.structure {
            None => {
                let mut chain = Vec::new();
                let mut current = decl.is_a.clone();
                while let Some(super_name) = current {
                    if chain.contains(&super_name) || chain.len() > 64 || super_name == name {
                        return None;
                    }
                    chain.push(super_name.clone());
                    current = match super_name.as_str() {
                        "integer" => Some("number".to_string()),
                        n if is_builtin(n) => None,
                        n => self.get(n)?.is_a.clone(),
                    };
                }
                Some(SemType::simple(name, chain))
            }
            Some(expr) => {
                let mut sem = self.sem_expr_depth(expr, depth + 1)?;
                match &mut sem {
                    SemType::Structured { name: n, .. } | SemType::Union { name: n, .. } => {
                        *n = Some(name.to_string());
                    }
                    SemType::Simple { .. } => {}
                }
                Some(sem)
            }
        }
    }

    fn sem_expr_depth(&self, expr: &TypeExpr, depth: usize) -> Option<SemType> {
        if depth > 64 {
            return None;
        }
        let d = depth + 1;
        Some(match expr {
            TypeExpr::Named(name) => return self.sem_named_depth(name, d),
            TypeExpr::List(elt) => {
                SemType::anonymous(Structure::List(Box::new(self.sem_expr_depth(elt, d)?)))
            }
            TypeExpr::Tuple(elts) => SemType::anonymous(Structure::Tuple(
                elts.iter()
                    .map(|e| self.sem_expr_depth(e, d))
                    .collect::<Option<_>>()?,
            )),
            TypeExpr::Mapping(k, v) => SemType::anonymous(Structure::Mapping(
                Box::new(self.sem_expr_depth(k, d)?),
                Box::new(self.sem_expr_depth(v, d)?),
            )),
            TypeExpr::Enumerated(props) => SemType::anonymous(Structure::Enumerated(
                props
                    .iter()
                    .map(|(k, v)| Some((k.clone(), self.sem_expr_depth(v, d)?)))
                    .collect::<Option<_>>()?,
            )),
            TypeExpr::Union(members) => SemType::union(
                members
                    .iter()
                    .map(|m| self.sem_expr_depth(m, d))
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

fn collect_names(expr: &TypeExpr, f: &mut dyn FnMut(&str)) {
    match expr {
        TypeExpr::Named(n) => f(n),
        TypeExpr::List(e) => collect_names(e, f),
        TypeExpr::Tuple(es) | TypeExpr::Union(es) => es.iter().for_each(|e| collect_names(e, f)),
        TypeExpr::Mapping(k, v) => {
            collect_names(k, f);
            collect_names(v, f);
        }
        TypeExpr::Enumerated(props) => props.iter().for_each(|(_, e)| collect_names(e, f)),
    }
}

// ---------------------------------------------------------------------------
// Semantic types: compatibility and inference
// ---------------------------------------------------------------------------

/// A built type, as Dioptra's task engine represents it.
#[derive(Clone, Debug, PartialEq)]
pub enum SemType {
    /// A simple type and its chain of super-types (nearest first).
    Simple { name: String, supers: Vec<String> },
    Structured {
        name: Option<String>,
        structure: Structure,
    },
    Union {
        name: Option<String>,
        members: Vec<SemType>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Structure {
    List(Box<SemType>),
    Tuple(Vec<SemType>),
    Mapping(Box<SemType>, Box<SemType>),
    Enumerated(Vec<(String, SemType)>),
}

impl SemType {
    pub fn simple(name: &str, supers: Vec<String>) -> SemType {
        SemType::Simple {
            name: name.to_string(),
            supers,
        }
    }

    pub fn builtin(name: &str) -> SemType {
        if name == "integer" {
            SemType::simple("integer", vec!["number".into()])
        } else {
            SemType::simple(name, Vec::new())
        }
    }

    pub fn anonymous(structure: Structure) -> SemType {
        SemType::Structured {
            name: None,
            structure,
        }
    }

    /// An anonymous union; members are deduplicated (as Dioptra's UnionType does).
    pub fn union(members: Vec<SemType>) -> SemType {
        let mut out: Vec<SemType> = Vec::new();
        for member in members {
            if !out.contains(&member) {
                out.push(member);
            }
        }
        SemType::Union {
            name: None,
            members: out,
        }
    }

    pub fn is_any(&self) -> bool {
        matches!(self, SemType::Simple { name, .. } if name == "any")
    }

    fn same(&self, other: &SemType) -> bool {
        match (self, other) {
            (
                SemType::Union {
                    name: n1,
                    members: m1,
                },
                SemType::Union {
                    name: n2,
                    members: m2,
                },
            ) => n1 == n2 && m1.len() == m2.len() && m1.iter().all(|m| m2.contains(m)),
            _ => self == other,
        }
    }
}

impl fmt::Display for SemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SemType::Simple { name, .. } => write!(f, "{name}"),
            SemType::Structured {
                name: Some(name), ..
            }
            | SemType::Union {
                name: Some(name), ..
            } => {
                write!(f, "{name}")
            }
            SemType::Structured {
                name: None,
                structure,
            } => match structure {
                Structure::List(e) => write!(f, "list[{e}]"),
                Structure::Tuple(es) => write!(f, "tuple[{}]", join(es)),
                Structure::Mapping(k, v) => write!(f, "mapping[{k}, {v}]"),
                Structure::Enumerated(props) => {
                    let props: Vec<String> =
                        props.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    write!(f, "mapping{{{}}}", props.join(", "))
                }
            },
            SemType::Union {
                name: None,
                members,
            } => write!(f, "union[{}]", join(members)),
        }
    }
}

/// Whether an argument of type `arg` may be passed to a parameter of type
/// `param` (Dioptra's `_types_compatible`).
pub fn compatible(arg: &SemType, param: &SemType) -> bool {
    if param.is_any() || arg.same(param) {
        return true;
    }
    match (arg, param) {
        (SemType::Union { members, .. }, _) => members.iter().all(|m| compatible(m, param)),
        (_, SemType::Union { members, .. }) => members.iter().any(|m| compatible(arg, m)),
        (SemType::Simple { supers, .. }, SemType::Simple { name, .. }) => supers.contains(name),
        (
            SemType::Structured {
                name: n1,
                structure: s1,
            },
            SemType::Structured {
                name: n2,
                structure: s2,
            },
        ) => {
            if n1.is_some() && n2.is_some() {
                false
            } else {
                structures_compatible(s1, s2)
            }
        }
        _ => false,
    }
}

fn structures_compatible(arg: &Structure, param: &Structure) -> bool {
    match (arg, param) {
        (Structure::Tuple(elts), Structure::List(elt)) => elts.iter().all(|e| compatible(e, elt)),
        (Structure::List(a), Structure::List(p)) => compatible(a, p),
        (Structure::Tuple(a), Structure::Tuple(p)) => {
            a.len() == p.len() && a.iter().zip(p).all(|(a, p)| compatible(a, p))
        }
        (Structure::Enumerated(a), Structure::Enumerated(p)) => {
            a.len() == p.len()
                && a.iter().all(|(k, t)| {
                    p.iter()
                        .find(|(pk, _)| pk == k)
                        .is_some_and(|(_, pt)| compatible(t, pt))
                })
        }
        (Structure::Enumerated(a), Structure::Mapping(k, v)) => {
            matches!(&**k, SemType::Simple { name, .. } if name == "string")
                && a.iter().all(|(_, t)| compatible(t, v))
        }
        (Structure::Mapping(ak, av), Structure::Mapping(pk, pv)) => {
            compatible(ak, pk) && compatible(av, pv)
        }
        _ => false,
    }
}

/// The most specific common base of simple types (Dioptra's
/// `_find_common_base_type`); `any` when there is none.
pub fn common_base(types: &[SemType]) -> SemType {
    let mut iter = types.iter();
    let Some(first) = iter.next() else {
        return SemType::builtin("any");
    };
    iter.fold(first.clone(), |acc, t| match (&acc, t) {
        (
            SemType::Simple {
                name: n1,
                supers: s1,
            },
            SemType::Simple {
                name: n2,
                supers: s2,
            },
        ) => {
            if n1 == n2 {
                acc.clone()
            } else if s1.contains(n2) {
                t.clone()
            } else if s2.contains(n1) {
                acc.clone()
            } else {
                match s1.iter().enumerate().find(|(_, s)| s2.contains(s)) {
                    Some((i, s)) => SemType::simple(s, s1[i + 1..].to_vec()),
                    None => SemType::builtin("any"),
                }
            }
        }
        _ => SemType::builtin("any"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn registry(toml: &str) -> (TypeRegistry, Vec<Diagnostic>, std::sync::Arc<SourceFile>) {
        let file = SourceFile::new(
            "dioptra.toml".into(),
            "dioptra.toml".into(),
            toml.to_string(),
        );
        let document = crate::doc::parse_toml(&file).expect("valid TOML");
        let (registry, diagnostics) = TypeRegistry::from_document(&document);
        (registry, diagnostics, file)
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<Code> {
        diagnostics.iter().map(|d| d.code).collect()
    }

    fn line(d: &Diagnostic) -> usize {
        d.location
            .as_ref()
            .and_then(|l| l.positions())
            .map_or(0, |(s, _)| s.line)
    }

    #[test]
    fn valid_types_of_every_kind() {
        let (reg, diags, _) = registry(
            r#"
[[plugin_param_types]]
name = "image"
[[plugin_param_types]]
name = "path"
structure = { is_a = "string" }
[[plugin_param_types]]
name = "shape"
structure = { tuple = ["integer", "integer"] }
[[plugin_param_types]]
name = "paths"
structure = { list = "path" }
[[plugin_param_types]]
name = "config"
structure = { mapping = { size = "shape", names = { list = "string" } } }
[[plugin_param_types]]
name = "table"
structure = { mapping = ["integer", "image"] }
[[plugin_param_types]]
name = "either"
structure = { union = ["shape", "null", { list = "integer" }] }
"#,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(reg.decls.len(), 7);
        assert_eq!(reg.decls[1].is_a.as_deref(), Some("string"));
        assert_eq!(reg.references("config"), vec!["shape".to_string()]);
        assert_eq!(reg.references("paths"), vec!["path".to_string()]);
        assert!(reg.is_known("image") && reg.is_known("number") && !reg.is_known("nope"));
        assert_eq!(
            reg.decls[4].structure,
            Some(TypeExpr::Enumerated(vec![
                (
                    "names".into(),
                    TypeExpr::List(Box::new(TypeExpr::Named("string".into())))
                ),
                ("size".into(), TypeExpr::Named("shape".into())),
            ]))
        );
        assert!(reg.broken.is_empty());
    }

    #[test]
    fn undefined_reference_reported_once_on_the_type() {
        let (reg, diags, _) = registry(
            "[[plugin_param_types]]\nname = \"a\"\nstructure = { tuple = [\"shap\", \"shap\", \"integer\"] }\n[[plugin_param_types]]\nname = \"shape\"\n",
        );
        assert_eq!(codes(&diags), vec![Code::DioptraUndefinedType]);
        assert!(
            diags[0]
                .message
                .contains("In definition of type \"a\": reference to undefined type: shap")
        );
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `shape`?"));
        assert_eq!(line(&diags[0]), 3);
        assert!(reg.broken.contains("a"));
    }

    #[test]
    fn cycles_once_per_component_in_name_order_with_shortest_path() {
        let names = ["c", "a", "b", "d", "e"];
        let edges: HashMap<&str, Vec<String>> = [
            ("a", vec!["b".to_string(), "elsewhere".to_string()]),
            ("b", vec!["e".to_string(), "a".to_string()]),
            ("c", vec!["c".to_string()]),
            ("d", vec!["a".to_string()]),
            ("e", vec!["a".to_string()]),
        ]
        .into_iter()
        .collect();
        // `a b e` is one component; its shortest way back to `a` is `a > b > a`.
        // `d` leads into it but is not on a cycle; an unknown target is ignored.
        assert_eq!(
            find_cycles(&names, &edges),
            vec![
                ("c".to_string(), vec!["c".to_string(), "c".to_string()]),
                (
                    "a".to_string(),
                    vec!["a".to_string(), "b".to_string(), "a".to_string()]
                ),
            ]
        );
        assert!(
            find_cycles(
                &["x", "y"],
                &[("x", vec!["y".to_string()]), ("y", vec![])]
                    .into_iter()
                    .collect()
            )
            .is_empty()
        );
    }

    #[test]
    fn cycle_reported_with_full_path() {
        let (reg, diags, _) = registry(
            r#"
[[plugin_param_types]]
name = "a"
structure = { list = "b" }
[[plugin_param_types]]
name = "b"
structure = { mapping = { x = "c" } }
[[plugin_param_types]]
name = "c"
structure = { union = ["a", "null"] }
[[plugin_param_types]]
name = "d"
structure = { list = "a" }
[[plugin_param_types]]
name = "self"
structure = { list = "self" }
"#,
        );
        assert_eq!(
            codes(&diags),
            vec![Code::DioptraTypeCycle, Code::DioptraTypeCycle]
        );
        assert_eq!(
            diags[0].message,
            "Type reference cycle detected: a > b > c > a"
        );
        assert_eq!(line(&diags[0]), 3);
        assert_eq!(
            diags[1].message,
            "Type reference cycle detected: self > self"
        );
        // A type that depends on a cycle cannot be built, but is not reported.
        assert!(reg.broken.contains("d"));
        assert!(reg.sem_named("d").is_none());
    }

    #[test]
    fn crashing_structures_are_errors() {
        let (_, diags, _) = registry(
            r#"
[[plugin_param_types]]
name = "badkey"
structure = { mapping = ["number", "string"] }
[[plugin_param_types]]
name = "s"
structure = { list = "string" }
[[plugin_param_types]]
name = "sub"
structure = { is_a = "s" }
[[plugin_param_types]]
name = "two"
structure = { list = "string", tuple = ["string"] }
[[plugin_param_types]]
name = "anon"
structure = { list = { is_a = "string" } }
[[plugin_param_types]]
name = "short"
structure = { mapping = ["string"] }
"#,
        );
        assert_eq!(
            codes(&diags),
            vec![
                Code::DioptraInvalidStructure,
                Code::DioptraInvalidStructure,
                Code::DioptraInvalidStructure,
                Code::DioptraInvalidStructure,
                Code::DioptraInvalidStructure
            ]
        );
        let all: String = diags.iter().map(|d| d.message.clone() + "\n").collect();
        assert!(all.contains("mapping key type must be `string` or `integer`, not `number`"));
        assert!(all.contains("super-type must be a simple type: s"));
        assert!(
            all.contains("only one of is_a, list, tuple, mapping, union; found `list`, `tuple`")
        );
        assert!(all.contains("anonymous nested type cannot be a simple type"));
        assert!(all.contains("two-element array"));
    }

    #[test]
    fn duplicate_union_member() {
        let (_, diags, _) = registry(
            "[[plugin_param_types]]\nname = \"u\"\nstructure = { union = [\"integer\", \"string\", \"integer\"] }\n",
        );
        assert_eq!(codes(&diags), vec![Code::DioptraDuplicateUnionMember]);
        assert!(
            diags[0]
                .message
                .contains("duplicate member types encountered: integer")
        );
    }

    #[test]
    fn compatibility_rules() {
        let (reg, diags, _) = registry(
            r#"
[[plugin_param_types]]
name = "path"
structure = { is_a = "string" }
[[plugin_param_types]]
name = "ints"
structure = { list = "integer" }
[[plugin_param_types]]
name = "nums"
structure = { list = "number" }
[[plugin_param_types]]
name = "numbers"
structure = { list = "number" }
[[plugin_param_types]]
name = "opt"
structure = { union = ["integer", "null"] }
[[plugin_param_types]]
name = "smap"
structure = { mapping = ["string", "number"] }
"#,
        );
        assert!(diags.is_empty());
        let t = |n: &str| reg.sem_named(n).expect(n);
        let int = SemType::builtin("integer");
        let num = SemType::builtin("number");
        let any = SemType::builtin("any");
        assert!(compatible(&int, &num));
        assert!(!compatible(&num, &int));
        assert!(compatible(&t("path"), &t("string")));
        assert!(!compatible(&t("string"), &t("path")));
        assert!(compatible(&num, &any));
        assert!(!compatible(&any, &num));
        // Differently named structured types never match.
        assert!(!compatible(&t("nums"), &t("numbers")));
        assert!(!compatible(&t("ints"), &t("nums")));
        // Anonymous list[integer] fits named list[number].
        let anon_ints = SemType::anonymous(Structure::List(Box::new(int.clone())));
        assert!(compatible(&anon_ints, &t("nums")));
        // Tuple -> list.
        let tuple = SemType::anonymous(Structure::Tuple(vec![int.clone(), num.clone()]));
        assert!(compatible(&tuple, &t("nums")));
        assert!(!compatible(&tuple, &t("ints")));
        // Unions.
        assert!(compatible(&int, &t("opt")));
        assert!(compatible(&SemType::builtin("null"), &t("opt")));
        assert!(!compatible(&t("opt"), &int));
        assert!(compatible(
            &t("opt"),
            &SemType::union(vec![int.clone(), SemType::builtin("null"), num.clone()])
        ));
        // Enumerated -> mapping[string, V].
        let enumerated = SemType::anonymous(Structure::Enumerated(vec![
            ("a".into(), int.clone()),
            ("b".into(), num.clone()),
        ]));
        assert!(compatible(&enumerated, &t("smap")));
        let bad = SemType::anonymous(Structure::Enumerated(vec![(
            "a".into(),
            SemType::builtin("string"),
        )]));
        assert!(!compatible(&bad, &t("smap")));
        assert_eq!(t("opt").to_string(), "opt");
        assert_eq!(tuple.to_string(), "tuple[integer, number]");
        assert_eq!(common_base(&[int.clone(), num.clone()]), num);
        assert!(common_base(&[int, SemType::builtin("string")]).is_any());
    }

    #[test]
    fn non_table_structure_and_bad_members() {
        let (_, diags, _) = registry(
            "[[plugin_param_types]]\nname = \"x\"\nstructure = { union = [] }\n[[plugin_param_types]]\nname = \"y\"\nstructure = { tuple = [1] }\n[[plugin_param_types]]\nname = \"z\"\nstructure = { list = \"string\", extra = 1 }\n",
        );
        assert_eq!(codes(&diags), vec![Code::DioptraInvalidStructure; 3]);
    }
}
