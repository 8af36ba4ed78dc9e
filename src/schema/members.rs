//! The schema side of a drift report: every member path of every client event and what the
//! (fixed) document allows there.
//!
//! Paths read like the wire, prefixed by the event type:
//!
//! - `session.update/session.type`: a member; `.` descends into an object;
//! - `response.create/response.input[].type`: `[]` is any element of an array;
//! - `metadata.*`: `*` is any member of a map (`additionalProperties`);
//! - `session.update/session(realtime).audio.input.format.type`: `(realtime)` picks the branch of
//!   a union (`oneOf`/`anyOf`) whose `type` is pinned to `realtime`. When several branches pin
//!   the same `type` (the three `message` items), the next member that tells them apart is added:
//!   `item(message,user)`. The union's own path lists those tag members with every branch's
//!   values (`session.update/session.type` = `realtime`, `transcription`).
//!
//! Members come from the document after the [`DefectFix`](super::DefectFix)es, so the null and
//! `item_reference` branches the oracle accepts are listed too.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::defects::FixedSchemas;
use super::walk::component_name;
use super::{SpecDocument, SpecError, SpecProblem};
use crate::events::Family;

/// Paths deeper than this are not listed: no client event comes near it, and a cyclic
/// document would otherwise never end.
const MAX_DEPTH: usize = 24;

/// What the schema allows at one member path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaMember {
    /// The JSON types allowed (`string`, `integer`, `object`, ..., `null`); empty when the
    /// schema does not say (any JSON).
    pub types: BTreeSet<String>,
    /// Every `enum`/`const` value listed at this path, in document order, without repeats:
    /// strings as they are, other values as JSON text (`24000`). `null` is in `nullable`.
    pub enum_values: Vec<String>,
    /// Whether a string outside `enum_values` is accepted too: an open enum such as `model` or
    /// `voice` (`anyOf [string, enum]`), or a plain string.
    pub accepts_any_string: bool,
    /// Whether `null` is accepted.
    pub nullable: bool,
    /// Whether every object schema that declares the member requires it.
    pub required: bool,
    /// The `components.schemas` whose `properties` declare the member (the nearest named
    /// schema around an inline declaration).
    pub declared_in: BTreeSet<String>,
    /// The `components.schemas` the member's value refers to (`RealtimeAudioFormats`).
    pub schemas: BTreeSet<String>,
}

/// Every member path of every GA client event, and of the legacy
/// `RealtimeClientEventTranscriptionSessionUpdate`, keyed `<event type>/<path>`
/// (see the module documentation for the path syntax).
///
/// # Errors
///
/// As [`SchemaOracle::new`](super::SchemaOracle::new), less compiling.
pub fn schema_members(doc: &SpecDocument) -> Result<BTreeMap<String, SchemaMember>, SpecError> {
    schema_members_of(doc, Family::Client)
}

/// [`schema_members`] of the events of `family` (`RealtimeServerEvent*` for the server).
///
/// # Errors
///
/// As [`schema_members`], for the family's union.
pub fn schema_members_of(
    doc: &SpecDocument,
    family: Family,
) -> Result<BTreeMap<String, SchemaMember>, SpecError> {
    let fixed = FixedSchemas::of_family(doc, family, &|_| true)?;
    let mut walker = Walker::new(&fixed.schemas);
    let union = family.union_schema();
    for (name, schema) in &fixed.schemas {
        if !name.starts_with(union) || name == union {
            continue;
        }
        let Some(event_type) = pinned_value(&fixed.schemas, schema, "type") else {
            continue;
        };
        walker.walk_event(name, &format!("{event_type}/"));
    }
    Ok(walker.finish())
}

/// The member paths of one named schema (any of `components.schemas` reachable from the
/// client events, beta ones included), keyed by path without an event prefix.
///
/// # Errors
///
/// When the schema is not among the client-side schemas, or as [`schema_members`].
pub fn members_of_schema(
    doc: &SpecDocument,
    schema_name: &str,
) -> Result<BTreeMap<String, SchemaMember>, SpecError> {
    let fixed = FixedSchemas::client(doc, &|_| true)?;
    if !fixed.schemas.contains_key(schema_name) {
        return Err(SpecError::new(
            doc.source(),
            SpecProblem::MissingSchema(format!(
                "no client-side schema `{schema_name}` (neither a client event nor referenced by one)"
            )),
        ));
    }
    let mut walker = Walker::new(&fixed.schemas);
    walker.walk_event(schema_name, "");
    Ok(walker.finish())
}

/// One schema alternative after following `$ref`s and flattening unions.
struct Alternative<'a> {
    schema: &'a Map<String, Value>,
    /// The nearest named schema around it.
    component: Option<&'a str>,
}

struct Walker<'a> {
    schemas: &'a Map<String, Value>,
    members: BTreeMap<String, SchemaMember>,
    required: BTreeMap<String, bool>,
}

impl<'a> Walker<'a> {
    fn new(schemas: &'a Map<String, Value>) -> Self {
        Self {
            schemas,
            members: BTreeMap::new(),
            required: BTreeMap::new(),
        }
    }

    fn finish(mut self) -> BTreeMap<String, SchemaMember> {
        for (path, required) in self.required {
            if let Some(member) = self.members.get_mut(&path) {
                member.required = required;
            }
        }
        self.members
    }

    /// Lists the members of the event schema `name` under `prefix`.
    fn walk_event(&mut self, name: &str, prefix: &str) {
        let Some((name, schema)) = self.schemas.get_key_value(name) else {
            return;
        };
        let mut stack = vec![name.to_owned()];
        let mut alternatives = Vec::new();
        let mut refs = BTreeSet::new();
        self.flatten(
            schema,
            Some(name),
            &mut stack,
            &mut alternatives,
            &mut refs,
            0,
        );
        self.children(prefix, "", &alternatives, &stack, 0);
    }

    /// Records what `schema` allows at `path` and descends into its members.
    #[allow(clippy::too_many_arguments)]
    fn describe(
        &mut self,
        prefix: &str,
        path: &str,
        schema: &'a Value,
        component: Option<&'a str>,
        required: bool,
        stack: &[String],
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let key = format!("{prefix}{path}");
        let mut alternatives = Vec::new();
        let mut refs = BTreeSet::new();
        let mut own_stack = stack.to_vec();
        self.flatten(
            schema,
            component,
            &mut own_stack,
            &mut alternatives,
            &mut refs,
            0,
        );
        {
            let member = self.members.entry(key.clone()).or_default();
            member.schemas.extend(refs);
            if let Some(component) = component {
                member.declared_in.insert(component.to_owned());
            }
            for alternative in &alternatives {
                record_leaf(member, alternative.schema);
            }
        }
        let entry = self.required.entry(key).or_insert(required);
        *entry &= required;
        self.children(prefix, path, &alternatives, &own_stack, depth);
    }

    /// Follows `$ref`, `anyOf`, `oneOf` and `allOf` down to the schemas that say something
    /// themselves. A `$ref` to a schema already being expanded on this path is not followed.
    fn flatten(
        &self,
        schema: &'a Value,
        component: Option<&'a str>,
        stack: &mut Vec<String>,
        out: &mut Vec<Alternative<'a>>,
        refs: &mut BTreeSet<String>,
        depth: usize,
    ) {
        let Value::Object(object) = schema else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            if let Some((name, target)) =
                component_name(reference).and_then(|name| self.schemas.get_key_value(name.as_str()))
            {
                refs.insert(name.clone());
                if !stack.contains(name) {
                    stack.push(name.clone());
                    self.flatten(target, Some(name), stack, out, refs, depth + 1);
                }
            }
        }
        let mut has_union = false;
        for union in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(branches)) = object.get(union) {
                has_union = true;
                for branch in branches {
                    self.flatten(branch, component, stack, out, refs, depth + 1);
                }
            }
        }
        let says_something = [
            "type",
            "enum",
            "const",
            "properties",
            "items",
            "additionalProperties",
        ]
        .iter()
        .any(|k| object.contains_key(*k));
        // A union's sibling `type: object` only restates its branches; its own `properties`
        // (none in this document) would apply to every branch.
        if says_something && (!has_union || object.contains_key("properties")) {
            out.push(Alternative {
                schema: object,
                component,
            });
        }
    }

    /// Lists the members of the object alternatives at `path` and the elements of the array ones.
    fn children(
        &mut self,
        prefix: &str,
        path: &str,
        alternatives: &[Alternative<'a>],
        stack: &[String],
        depth: usize,
    ) {
        let objects: Vec<&Alternative<'a>> = alternatives
            .iter()
            .filter(|a| a.schema.contains_key("properties"))
            .collect();
        let (qualifiers, tag_keys) = self.qualifiers(&objects);
        for key in &tag_keys {
            for object in &objects {
                if let Some(tag_schema) = object.schema.get("properties").and_then(|p| p.get(key)) {
                    let required = requires(object.schema, key);
                    let tag_path = join(path, key);
                    self.describe(
                        prefix,
                        &tag_path,
                        tag_schema,
                        object.component,
                        required,
                        stack,
                        depth + 1,
                    );
                }
            }
        }
        for (object, qualifier) in objects.iter().zip(&qualifiers) {
            let base = if qualifier.is_empty() {
                path.to_owned()
            } else {
                format!("{path}({})", qualifier.join(","))
            };
            if let Some(Value::Object(properties)) = object.schema.get("properties") {
                for (name, member) in properties {
                    let required = requires(object.schema, name);
                    self.describe(
                        prefix,
                        &join(&base, name),
                        member,
                        object.component,
                        required,
                        stack,
                        depth + 1,
                    );
                }
            }
        }
        for alternative in alternatives {
            if let Some(extra @ Value::Object(_)) = alternative.schema.get("additionalProperties") {
                self.describe(
                    prefix,
                    &join(path, "*"),
                    extra,
                    alternative.component,
                    false,
                    stack,
                    depth + 1,
                );
            }
            if let Some(items @ Value::Object(_)) = alternative.schema.get("items") {
                self.describe(
                    prefix,
                    &format!("{path}[]"),
                    items,
                    alternative.component,
                    false,
                    stack,
                    depth + 1,
                );
            }
        }
    }

    /// The branch qualifier of each object alternative, and the tag members chosen.
    fn qualifiers(&self, objects: &[&Alternative<'a>]) -> (Vec<Vec<String>>, Vec<String>) {
        let mut qualifiers = vec![Vec::new(); objects.len()];
        let mut tag_keys: Vec<String> = Vec::new();
        if objects.len() < 2 {
            return (qualifiers, tag_keys);
        }
        let pin = |object: &Alternative<'a>, key: &str| {
            let member = object.schema.get("properties")?.get(key)?;
            pinned_member(self.schemas, member)
        };
        // `type` first; then, while branches still share a qualifier, the first member that
        // all of them pin and that tells at least two of them apart.
        let mut candidates: Vec<String> = vec!["type".to_owned()];
        for object in objects {
            if let Some(Value::Object(properties)) = object.schema.get("properties") {
                for name in properties.keys() {
                    if !candidates.contains(name) {
                        candidates.push(name.clone());
                    }
                }
            }
        }
        for key in candidates {
            let mut groups: BTreeMap<&Vec<String>, Vec<usize>> = BTreeMap::new();
            for (index, qualifier) in qualifiers.iter().enumerate() {
                groups.entry(qualifier).or_default().push(index);
            }
            let mut extend = Vec::new();
            for members in groups.values().filter(|m| m.len() > 1) {
                let values: Vec<Option<String>> =
                    members.iter().map(|&i| pin(objects[i], &key)).collect();
                let distinct: BTreeSet<&String> = values.iter().flatten().collect();
                if values.iter().all(Option::is_some) && distinct.len() > 1 {
                    extend.extend(members.iter().copied().zip(values.into_iter().flatten()));
                }
            }
            if extend.is_empty() {
                continue;
            }
            for (index, value) in extend {
                qualifiers[index].push(value);
            }
            tag_keys.push(key);
            if qualifiers.iter().collect::<BTreeSet<_>>().len() == qualifiers.len() {
                break;
            }
        }
        (qualifiers, tag_keys)
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn requires(object: &Map<String, Value>, name: &str) -> bool {
    object
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|m| m == name))
}

/// The single value a member schema pins (`enum` of one, or `const`), following `$ref`.
fn pinned_member(schemas: &Map<String, Value>, member: &Value) -> Option<String> {
    let member = super::walk::resolve(schemas, member);
    if let Some(value) = member.get("const") {
        return Some(render(value));
    }
    match member.get("enum")?.as_array()?.as_slice() {
        [value] => Some(render(value)),
        _ => None,
    }
}

fn pinned_value(schemas: &Map<String, Value>, schema: &Value, key: &str) -> Option<String> {
    pinned_member(schemas, schema.get("properties")?.get(key)?)
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn record_leaf(member: &mut SchemaMember, schema: &Map<String, Value>) {
    let mut types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut closed = false;
    for key in ["enum", "const"] {
        let values: Vec<&Value> = match schema.get(key) {
            Some(Value::Array(values)) if key == "enum" => values.iter().collect(),
            Some(value) if key == "const" => vec![value],
            _ => continue,
        };
        closed = true;
        for value in values {
            if value.is_null() {
                member.nullable = true;
                continue;
            }
            if types.is_empty() {
                types.push(match value {
                    Value::String(_) => "string",
                    Value::Bool(_) => "boolean",
                    Value::Number(n) if n.is_f64() => "number",
                    Value::Number(_) => "integer",
                    Value::Array(_) => "array",
                    _ => "object",
                });
            }
            let text = render(value);
            if !member.enum_values.contains(&text) {
                member.enum_values.push(text);
            }
        }
    }
    for t in types {
        if t == "null" {
            member.nullable = true;
        }
        if t == "string" && !closed {
            member.accepts_any_string = true;
        }
        member.types.insert(t.to_owned());
    }
}
