//! `compiled_metadata.json`, `dependencies_map.json` and the group Dockerfiles,
//! built as domino-py 0.9.4 builds them, in a deterministic order.

use serde_json::{Map, Value, json};

use super::models::ModelSchemas;
use super::piece::Piece;

/// The reference's `metadata_default` (domino/utils/metadata_default.py).
fn metadata_default(name: &str) -> Map<String, Value> {
    // Built once and copied (a copy keeps the prototype's hash table, sized
    // for the keys every entry gets: nothing is rehashed as they come).
    static DEFAULT: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let mut entry = DEFAULT
        .get_or_init(|| {
            let value = json!({
                "name": "",
                "dependency": {"dockerfile": null, "requirements_file": null},
                "tags": [],
                "style": {
                    "node_label": "Piece",
                    "node_type": "default",
                    "node_style": {"backgroundColor": "#ebebeb"},
                    "useIcon": true,
                    "icon_class_name": "fa-solid fa-circle",
                    "iconStyle": {"cursor": "pointer"}
                }
            });
            match value {
                Value::Object(literal) => {
                    let mut map = Map::with_capacity(16);
                    map.extend(literal);
                    map
                }
                _ => unreachable!("a literal object"),
            }
        })
        .clone();
    entry.insert("name".into(), Value::String(name.to_string()));
    entry
}

/// `dict_deep_update`: objects merge recursively (existing keys keep their
/// position), everything else replaces.
fn deep_update(target: &mut Map<String, Value>, update: Map<String, Value>) {
    for (key, value) in update {
        match value {
            Value::Object(inner) => match target.get_mut(&key) {
                // Merged in place (the key keeps its position).
                Some(Value::Object(existing)) => deep_update(existing, inner),
                _ => {
                    let mut merged = Map::new();
                    deep_update(&mut merged, inner);
                    target.insert(key, Value::Object(merged));
                }
            },
            other => {
                target.insert(key, other);
            }
        }
    }
}

/// What a committed `compiled_metadata.json` says before anything is generated:
/// its piece names in order (first occurrence) and each one's `source_url` (the
/// last occurrence, as a parsed JSON object keeps it), read without building the
/// document. Empty when the bytes are not a JSON object.
#[derive(Debug, Default)]
pub struct Outline {
    entries: Vec<(String, Option<String>)>,
}

impl Outline {
    pub fn of(bytes: &[u8]) -> Outline {
        serde_json::from_slice(bytes).unwrap_or_default()
    }
}

impl<'de> serde::Deserialize<'de> for Outline {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OutlineVisitor)
    }
}

struct OutlineVisitor;

impl<'de> serde::de::Visitor<'de> for OutlineVisitor {
    type Value = Outline;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        let mut position = std::collections::HashMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let EntryUrl(url) = map.next_value()?;
            match position.get(&name) {
                Some(&at) => entries[at] = (name, url),
                None => {
                    position.insert(name.clone(), entries.len());
                    entries.push((name, url));
                }
            }
        }
        Ok(Outline { entries })
    }
}

/// An entry's `source_url` when it is a string; any other value is skipped.
struct EntryUrl(Option<String>);

impl<'de> serde::Deserialize<'de> for EntryUrl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EntryUrlVisitor)
    }
}

struct EntryUrlVisitor;

impl<'de> serde::de::Visitor<'de> for EntryUrlVisitor {
    type Value = EntryUrl;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<EntryUrl, A::Error> {
        let mut url = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "source_url" {
                url = match map.next_value::<Value>()? {
                    Value::String(text) => Some(text),
                    _ => None,
                };
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(EntryUrl(url))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<EntryUrl, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(EntryUrl(None))
    }

    fn visit_bool<E>(self, _: bool) -> Result<EntryUrl, E> {
        Ok(EntryUrl(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<EntryUrl, E> {
        Ok(EntryUrl(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<EntryUrl, E> {
        Ok(EntryUrl(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<EntryUrl, E> {
        Ok(EntryUrl(None))
    }

    fn visit_str<E>(self, _: &str) -> Result<EntryUrl, E> {
        Ok(EntryUrl(None))
    }

    fn visit_unit<E>(self) -> Result<EntryUrl, E> {
        Ok(EntryUrl(None))
    }
}

/// The piece order: pieces already in the committed `compiled_metadata.json` keep
/// their order, new ones follow sorted by name.
pub fn piece_order(names: &[String], committed: &Outline) -> Vec<String> {
    let mut order: Vec<String> = committed
        .entries
        .iter()
        .map(|(name, _)| name)
        .filter(|k| names.contains(k))
        .cloned()
        .collect();
    let mut new: Vec<String> = names
        .iter()
        .filter(|n| !order.contains(n))
        .cloned()
        .collect();
    new.sort();
    order.extend(new);
    order
}

/// The `source_url` a committed `compiled_metadata.json` implies: every piece
/// with a source URL has `<source_url>/tree/main/pieces/<Name>`; the common
/// base when there is exactly one.
pub fn implied_source_url(committed: &Outline) -> Option<String> {
    let mut bases = std::collections::BTreeSet::new();
    for (name, url) in &committed.entries {
        let Some(url) = url else {
            continue;
        };
        bases.insert(
            url.strip_suffix(&format!("/tree/main/pieces/{name}"))?
                .to_string(),
        );
    }
    let mut bases = bases.into_iter();
    match (bases.next(), bases.next()) {
        (Some(base), None) if !base.is_empty() => Some(base),
        _ => None,
    }
}

/// One entry of `compiled_metadata.json`, holding the piece's model schemas
/// (given by value: they are the largest part of the entry, and are not
/// copied).
pub fn compiled_entry(
    piece: &Piece,
    schemas: Option<ModelSchemas>,
    source_url: Option<&str>,
) -> Value {
    let mut entry = metadata_default(&piece.name);
    if let Some(Value::Object(metadata)) = piece.metadata.as_ref().map(|d| &d.value) {
        let mut metadata = metadata.clone();
        if !metadata.contains_key("name") {
            metadata.insert("name".into(), Value::String(piece.name.clone()));
        }
        deep_update(&mut entry, metadata);
    }
    let ModelSchemas {
        input,
        output,
        secrets,
    } = schemas.unwrap_or_default();
    entry.insert("input_schema".into(), input.unwrap_or(Value::Null));
    entry.insert("output_schema".into(), output.unwrap_or(Value::Null));
    entry.insert("secrets_schema".into(), secrets.unwrap_or(Value::Null));
    entry.insert(
        "source_url".into(),
        match source_url.filter(|u| !u.is_empty()) {
            Some(url) => Value::String(format!("{url}/tree/main/pieces/{}", piece.name)),
            None => Value::Null,
        },
    );
    Value::Object(entry)
}

/// A problem the reference crashes on while grouping.
#[derive(Debug, PartialEq, Eq)]
pub struct GroupingError {
    pub piece: String,
    pub key: String,
    pub group: String,
}

/// `dependencies_map.json` without `source_image`: walk the pieces in order; a
/// piece joins every earlier group whose `dependency` equals its own on the
/// piece's keys (as the reference does), else opens `group<N>`. Secrets are the
/// union of the members' secret names, in first-seen order.
pub fn dependency_groups(
    compiled: &Map<String, Value>,
) -> Result<Map<String, Value>, GroupingError> {
    let mut groups: Map<String, Value> = Map::new();
    for (name, entry) in compiled {
        let dependency = entry.get("dependency").cloned().unwrap_or(Value::Null);
        let secrets: Vec<Value> = entry
            .get("secrets_schema")
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(|k| Value::String(k.clone())).collect())
            .unwrap_or_default();
        let mut joined = false;
        let keys: Vec<String> = dependency
            .as_object()
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        let group_names: Vec<String> = groups.keys().cloned().collect();
        for group_name in group_names {
            let group = groups[&group_name].as_object().expect("groups are objects");
            let mut matches = true;
            for key in &keys {
                match group["dependency"].get(key) {
                    Some(value) => matches &= *value == dependency[key],
                    None => {
                        return Err(GroupingError {
                            piece: name.clone(),
                            key: key.clone(),
                            group: group_name,
                        });
                    }
                }
            }
            if matches {
                let group = groups[&group_name].as_object_mut().expect("an object");
                if let Some(Value::Array(pieces)) = group.get_mut("pieces") {
                    pieces.push(Value::String(name.clone()));
                }
                if let Some(Value::Array(known)) = group.get_mut("secrets") {
                    for secret in &secrets {
                        if !known.contains(secret) {
                            known.push(secret.clone());
                        }
                    }
                }
                joined = true;
            }
        }
        if !joined {
            let mut unique = Vec::new();
            for secret in secrets {
                if !unique.contains(&secret) {
                    unique.push(secret);
                }
            }
            groups.insert(
                format!("group{}", groups.len()),
                json!({"dependency": dependency, "pieces": [name], "secrets": unique}),
            );
        }
    }
    Ok(groups)
}

/// `source_image` of a group: lower-case(`<host>/<REGISTRY_NAME>`) +
/// `/<REPOSITORY_NAME>:<tag>-<group>`.
pub fn source_image(
    host: &str,
    registry_name: Option<&str>,
    repository_name: &str,
    tag: &str,
    group: &str,
) -> String {
    format!(
        "{}/{repository_name}:{tag}-{group}",
        format!("{host}/{}", registry_name.unwrap_or("None")).to_lowercase()
    )
}

/// The Dockerfile the reference builds a group with (the custom Dockerfile's
/// text is read by the caller).
pub fn generated_dockerfile(base_image: &str, requirements_file: Option<&str>) -> String {
    let mut text = format!(
        "FROM {base_image}\nCOPY config.toml domino/pieces_repository/\nCOPY pieces domino/pieces_repository/pieces\nCOPY .domino domino/pieces_repository/.domino\n"
    );
    if let Some(requirements) = requirements_file {
        text.push_str(&format!(
            "COPY dependencies/{requirements} domino/pieces_repository/dependencies/\nRUN pip install --no-cache-dir -r domino/pieces_repository/dependencies/{requirements}\n"
        ));
    }
    text
}

/// Are two `dependencies_map.json` values the same content, with `secrets`
/// compared as sets?
pub fn same_dependency_map(a: &Value, b: &Value) -> bool {
    a == b || normalized_dependency_map(a) == normalized_dependency_map(b)
}

/// A `dependencies_map.json` value with every group's `secrets` sorted (their
/// order is not part of the content).
pub fn normalized_dependency_map(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(groups) = value.as_object_mut() {
        for group in groups.values_mut() {
            if let Some(Value::Array(secrets)) = group.get_mut("secrets") {
                secrets.sort_by_key(|s| s.to_string());
            }
        }
    }
    value
}

/// Where two JSON values first differ: the JSON pointer (into the committed
/// value where it exists) and a short description.
pub fn first_difference(
    committed: &Value,
    generated: &Value,
    pointer: &str,
) -> Option<(String, String)> {
    // The common case, an up-to-date file, allocates nothing.
    if identical(committed, generated) {
        return None;
    }
    difference_at(committed, generated, pointer)
}

/// Equal values with object keys in the same order.
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && identical(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| identical(x, y))
        }
        _ => a == b,
    }
}

fn difference_at(committed: &Value, generated: &Value, pointer: &str) -> Option<(String, String)> {
    let child_of = |key: &str| format!("{pointer}/{}", crate::doc::escape_pointer_segment(key));
    match (committed, generated) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                let child = child_of(key);
                match a.get(key) {
                    None => {
                        let text = format!("{child}: missing in the committed file");
                        return Some((pointer.to_string(), text));
                    }
                    Some(old) => {
                        if let Some(d) = difference_at(old, value, &child) {
                            return Some(d);
                        }
                    }
                }
            }
            for key in a.keys() {
                if !b.contains_key(key) {
                    let child = child_of(key);
                    let text = format!("{child}: no longer generated");
                    return Some((child, text));
                }
            }
            let a_keys: Vec<&String> = a.keys().collect();
            let b_keys: Vec<&String> = b.keys().collect();
            (a_keys != b_keys).then(|| {
                let text = format!("{}: keys in a different order", display(pointer));
                (pointer.to_string(), text)
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference_at(x, y, &format!("{pointer}/{i}"))),
        _ if committed == generated => None,
        _ => Some((
            pointer.to_string(),
            format!(
                "{}: committed {} but generated {}",
                display(pointer),
                short(committed),
                short(generated)
            ),
        )),
    }
}

fn display(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

fn short(value: &Value) -> String {
    let mut text = value.to_string();
    if text.len() > 80 {
        text.truncate(text.floor_char_boundary(77));
        text.push_str("...");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(value: &Value) -> Outline {
        Outline::of(&serde_json::to_vec(value).unwrap())
    }

    #[test]
    fn the_outline_reads_as_a_parsed_document_would() {
        let text = br#"{"B": {"x": [1, {"source_url": 3}], "source_url": "u1", "source_url": "u2"},
            "A": [1, 2], "B": {"source_url": "u3"}, "C": null, "D": {"source_url": {"a": 1}}}"#;
        let outline = Outline::of(text);
        assert_eq!(
            outline.entries,
            [
                ("B".to_string(), Some("u3".to_string())),
                ("A".into(), None),
                ("C".into(), None),
                ("D".into(), None)
            ]
        );
        let parsed: Value = serde_json::from_slice(text).unwrap();
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["B", "A", "C", "D"]);
        assert!(Outline::of(b"[1]").entries.is_empty());
        assert!(Outline::of(b"{\"A\": 1").entries.is_empty());
    }

    #[test]
    fn the_committed_source_url_is_recovered() {
        let committed = json!({
            "APiece": {"source_url": "https://github.com/o/r/tree/main/pieces/APiece"},
            "BPiece": {"source_url": "https://github.com/o/r/tree/main/pieces/BPiece"},
            "CPiece": {"source_url": null},
        });
        assert_eq!(
            implied_source_url(&outline(&committed)).as_deref(),
            Some("https://github.com/o/r")
        );
        let mixed = json!({
            "APiece": {"source_url": "https://github.com/o/r/tree/main/pieces/APiece"},
            "BPiece": {"source_url": "https://github.com/x/y/tree/main/pieces/BPiece"},
        });
        assert_eq!(implied_source_url(&outline(&mixed)), None);
        let odd = json!({"APiece": {"source_url": "https://elsewhere/APiece"}});
        assert_eq!(implied_source_url(&outline(&odd)), None);
    }

    fn entry(dependency: Value, secrets: &[&str]) -> Value {
        let properties: Map<String, Value> = secrets
            .iter()
            .map(|s| (s.to_string(), json!({"type": "string"})))
            .collect();
        json!({"dependency": dependency, "secrets_schema": if secrets.is_empty() { Value::Null } else { json!({"properties": properties}) }})
    }

    #[test]
    fn groups_follow_the_reference() {
        let mut compiled = Map::new();
        compiled.insert(
            "A".into(),
            entry(
                json!({"dockerfile": null, "requirements_file": "r.txt"}),
                &["X", "Y"],
            ),
        );
        compiled.insert(
            "B".into(),
            entry(json!({"dockerfile": null, "requirements_file": null}), &[]),
        );
        compiled.insert(
            "C".into(),
            entry(
                json!({"dockerfile": null, "requirements_file": "r.txt"}),
                &["Z", "X"],
            ),
        );
        let groups = dependency_groups(&compiled).unwrap();
        assert_eq!(
            Value::Object(groups),
            json!({
                "group0": {"dependency": {"dockerfile": null, "requirements_file": "r.txt"}, "pieces": ["A", "C"], "secrets": ["X", "Y", "Z"]},
                "group1": {"dependency": {"dockerfile": null, "requirements_file": null}, "pieces": ["B"], "secrets": []}
            })
        );
        compiled.insert(
            "D".into(),
            entry(
                json!({"dockerfile": null, "requirements_file": null, "docker_image": "x"}),
                &[],
            ),
        );
        assert_eq!(
            dependency_groups(&compiled).unwrap_err(),
            GroupingError {
                piece: "D".into(),
                key: "docker_image".into(),
                group: "group0".into()
            }
        );
    }

    #[test]
    fn committed_order_is_kept_and_new_pieces_are_sorted() {
        let names = vec![
            "BPiece".to_string(),
            "APiece".into(),
            "CPiece".into(),
            "DPiece".into(),
        ];
        let committed = json!({"CPiece": {}, "GonePiece": {}, "APiece": {}});
        assert_eq!(
            piece_order(&names, &outline(&committed)),
            ["CPiece", "APiece", "BPiece", "DPiece"]
        );
        assert_eq!(
            piece_order(&names, &Outline::of(b"not json")),
            ["APiece", "BPiece", "CPiece", "DPiece"]
        );
    }

    #[test]
    fn merge_keeps_positions_and_appends_new_keys() {
        let mut target = metadata_default("P");
        let update = json!({"name": "P", "description": "d", "style": {"icon_class_name": "i", "extra": 1}, "tags": ["t"]});
        deep_update(&mut target, update.as_object().unwrap().clone());
        let keys: Vec<&String> = target.keys().collect();
        assert_eq!(keys, ["name", "dependency", "tags", "style", "description"]);
        let style: Vec<&String> = target["style"].as_object().unwrap().keys().collect();
        assert_eq!(style.last().unwrap().as_str(), "extra");
        assert_eq!(target["style"]["icon_class_name"], "i");
    }

    #[test]
    fn images_and_dockerfiles() {
        assert_eq!(
            source_image("ghcr.io", Some("Acme"), "my_pieces", "0.1.0", "group1"),
            "ghcr.io/acme/my_pieces:0.1.0-group1"
        );
        assert!(
            generated_dockerfile("b", Some("r.txt"))
                .ends_with("-r domino/pieces_repository/dependencies/r.txt\n")
        );
        assert_eq!(generated_dockerfile("b", None).lines().count(), 4);
    }

    #[test]
    fn secrets_compare_as_sets() {
        let a = json!({"group0": {"secrets": ["A", "B"]}});
        let b = json!({"group0": {"secrets": ["B", "A"]}});
        assert!(same_dependency_map(&a, &b));
        assert!(!same_dependency_map(
            &a,
            &json!({"group0": {"secrets": ["A"]}})
        ));
        assert_eq!(
            first_difference(&json!({"a": {"b": 1}}), &json!({"a": {"b": 2}}), ""),
            Some(("/a/b".into(), "/a/b: committed 1 but generated 2".into()))
        );
    }
}
