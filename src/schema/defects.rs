//! Repairs of the OpenAPI document's known defects, applied before its schemas are compiled.
//!
//! The document is OpenAI's: we never edit the file, only the copy the oracle compiles. Each
//! repair is listed as a [`DefectFix`] when, and only when, it changed something in the document
//! at hand, so a newer document that fixed a defect upstream stops reporting it.

use serde_json::{json, Map, Value};

use super::walk::{
    accepts_null, component_name, resolve, visit_schemas_mut, wrap_nullable, NULL_BY_DESCRIPTION,
    SCHEMA_REF_PREFIX,
};
use super::{SpecDocument, SpecError, SpecProblem};
use crate::events::Family;

/// One repair the oracle made to the document before compiling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefectFix {
    /// Stable identifier (`nullable`, `conversation-oneof-as-anyof`, ...), for selecting fixes
    /// with [`SchemaOracle::with_fixes`](super::SchemaOracle::with_fixes).
    pub id: &'static str,
    /// What was wrong and what the oracle reads instead, in one line.
    pub description: &'static str,
    /// JSON Pointers (`#/components/schemas/...`) of every schema the fix changed.
    pub locations: Vec<String>,
}

impl std::fmt::Display for DefectFix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} ({} place{})",
            self.id,
            self.description,
            self.locations.len(),
            if self.locations.len() == 1 { "" } else { "s" }
        )
    }
}

type Apply = fn(&mut Map<String, Value>) -> Vec<String>;

/// Every fix the oracle knows, in the order it applies them. Order matters: the null
/// repairs look at whether a schema already accepts null after the earlier ones.
const FIXES: &[(&str, &str, Apply)] = &[
    (
        "openapi-discriminator",
        "OpenAPI's `discriminator` is not a JSON Schema keyword; removed, since the branches' own \
         `type` enums already tell them apart",
        drop_discriminators,
    ),
    (
        "conversation-oneof-as-anyof",
        "`conversation` (RealtimeResponseCreateParams) is a `oneOf` of any string and the enum \
         `auto | none`, so its two documented values match both branches and are rejected; \
         read as `anyOf`",
        overlapping_string_one_of,
    ),
    (
        "nullable",
        "OpenAPI 3.0 `nullable: true` in a 3.1 document (session `tracing`) is ignored by JSON \
         Schema, yet the descriptions make `null` meaningful; the schema also accepts null",
        honour_nullable,
    ),
    (
        "item-reference-input",
        "`response.input` items (RealtimeResponseCreateParams) have no `item_reference` branch, \
         though the description and the `response.create` example use one; \
         `{\"type\": \"item_reference\", \"id\": string}` is accepted too",
        accept_item_reference_input,
    ),
    (
        "audio-input-null",
        "`audio.input.transcription` and `audio.input.noise_reduction` (RealtimeSessionCreateRequestGA, \
         RealtimeTranscriptionSessionCreateRequestGA) \"can be set to null to turn off\" but do not \
         allow null; null is accepted",
        audio_input_null,
    ),
    (
        "described-null",
        "beta-era session members whose description says they can be set to null \
         (`turn_detection`, `input_audio_transcription`, `input_audio_noise_reduction`, `tracing`) \
         do not allow null; null is accepted",
        described_null,
    ),
    (
        "session-client-secret-required",
        "RealtimeSessionCreateRequest, the session of the beta `session.update`, requires \
         `client_secret`, a server-issued member no client sends (its own example lacks it); \
         not required in a client event",
        client_secret_not_required,
    ),
];

/// The ids of every fix the oracle knows, in the order it applies them.
pub fn known_fix_ids() -> impl Iterator<Item = &'static str> {
    FIXES.iter().map(|(id, _, _)| *id)
}

/// The client-side schemas of a document, with the fixes that were applied to them.
pub(crate) struct FixedSchemas {
    pub(crate) schemas: Map<String, Value>,
    pub(crate) fixes: Vec<DefectFix>,
}

impl FixedSchemas {
    /// Every schema reachable from the client events (`RealtimeClientEvent*`,
    /// `RealtimeBetaClientEvent*`), with the fixes `wanted` selects applied. The rest of a full
    /// document is left out: it is not ours to judge, and compiling it would only cost time.
    pub(crate) fn client(
        doc: &SpecDocument,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Self, SpecError> {
        Self::of_family(doc, Family::Client, wanted)
    }

    /// Every schema reachable from the events of `family` (its GA, legacy and beta event
    /// schemas), with the fixes `wanted` selects applied.
    pub(crate) fn of_family(
        doc: &SpecDocument,
        family: Family,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Self, SpecError> {
        let all = doc.schemas();
        let union = family.union_schema();
        if !all.contains_key(union) {
            return Err(SpecError::new(
                doc.source(),
                SpecProblem::MissingSchema(format!(
                    "no `{union}` schema in `components.schemas`: not a document of the Realtime API"
                )),
            ));
        }
        let mut schemas = doc.reachable(|name| family.is_event_schema(name), Value::clone)?;
        let mut fixes = Vec::new();
        for (id, description, apply) in FIXES {
            if !wanted(id) {
                continue;
            }
            let mut locations = apply(&mut schemas);
            // Sorted, so that the extract (keys sorted) and the full document (keys in the
            // upstream order) list a fix's places alike.
            locations.sort();
            if !locations.is_empty() {
                fixes.push(DefectFix {
                    id,
                    description,
                    locations,
                });
            }
        }
        Ok(Self { schemas, fixes })
    }
}

/// The client event schemas, GA, legacy and beta, by the document's naming.
pub(crate) fn is_client_event_name(name: &str) -> bool {
    Family::Client.is_event_schema(name)
}

fn pointer_of(name: &str) -> String {
    format!("{SCHEMA_REF_PREFIX}{}", crate::pointer::escape(name))
}

/// Runs `visit` on every schema position of every named schema, with its `#/...` pointer.
fn for_each_schema(schemas: &mut Map<String, Value>, visit: &mut dyn FnMut(&mut Value, &str)) {
    for (name, schema) in schemas.iter_mut() {
        visit_schemas_mut(schema, &pointer_of(name), visit);
    }
}

fn drop_discriminators(schemas: &mut Map<String, Value>) -> Vec<String> {
    let mut changed = Vec::new();
    for_each_schema(schemas, &mut |schema, pointer| {
        if let Some(object) = schema.as_object_mut() {
            if object.shift_remove("discriminator").is_some() {
                changed.push(format!("{pointer}/discriminator"));
            }
        }
    });
    changed
}

/// Keywords that say nothing about which strings a schema accepts.
fn is_annotation(keyword: &str) -> bool {
    matches!(
        keyword,
        "type" | "description" | "title" | "default" | "example" | "examples" | "deprecated"
    ) || keyword.starts_with("x-")
}

fn overlapping_string_one_of(schemas: &mut Map<String, Value>) -> Vec<String> {
    let mut changed = Vec::new();
    for_each_schema(schemas, &mut |schema, pointer| {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let Some(Value::Array(branches)) = object.get("oneOf") else {
            return;
        };
        let is_string = |b: &Value| b.get("type").and_then(Value::as_str) == Some("string");
        let any_string = branches.iter().any(|b| {
            is_string(b)
                && b.as_object()
                    .is_some_and(|o| o.keys().all(|k| is_annotation(k)))
        });
        let string_enums = branches
            .iter()
            .filter(|b| is_string(b) && (b.get("enum").is_some() || b.get("const").is_some()))
            .count();
        if any_string && string_enums > 0 {
            if let Some(branches) = object.shift_remove("oneOf") {
                object.insert("anyOf".to_owned(), branches);
                changed.push(format!("{pointer}/oneOf"));
            }
        }
    });
    changed
}

fn honour_nullable(schemas: &mut Map<String, Value>) -> Vec<String> {
    let snapshot = schemas.clone();
    let mut changed = Vec::new();
    for_each_schema(schemas, &mut |schema, pointer| {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if object.shift_remove("nullable") == Some(Value::Bool(true))
            && !accepts_null(&snapshot, schema, 0)
        {
            wrap_nullable(schema);
            changed.push(pointer.to_owned());
        }
    });
    changed
}

fn item_reference_schema() -> Value {
    json!({
        "type": "object",
        "description": "A reference to an existing conversation item (added by realtime-harness: see DefectFix `item-reference-input`).",
        "required": ["type", "id"],
        "properties": {
            "type": { "type": "string", "enum": ["item_reference"] },
            "id": { "type": "string" }
        }
    })
}

/// Whether some branch of `schema` (through `$ref`, `anyOf`, `oneOf`) pins `type` to `value`.
fn has_type_branch(
    schemas: &Map<String, Value>,
    schema: &Value,
    value: &str,
    depth: usize,
) -> bool {
    if depth > 16 {
        return false;
    }
    let schema = resolve(schemas, schema);
    let pinned = schema
        .get("properties")
        .and_then(|p| p.get("type"))
        .is_some_and(|t| {
            t.get("const").and_then(Value::as_str) == Some(value)
                || t.get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().any(|v| v == value))
        });
    pinned
        || ["anyOf", "oneOf"].iter().any(|union| {
            schema
                .get(*union)
                .and_then(Value::as_array)
                .is_some_and(|branches| {
                    branches
                        .iter()
                        .any(|b| has_type_branch(schemas, b, value, depth + 1))
                })
        })
}

fn accept_item_reference_input(schemas: &mut Map<String, Value>) -> Vec<String> {
    let snapshot = schemas.clone();
    let mut changed = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        if !name.ends_with("ResponseCreateParams") {
            continue;
        }
        let Some(items) = schema.pointer_mut("/properties/input/items") else {
            continue;
        };
        if has_type_branch(&snapshot, items, "item_reference", 0) {
            continue;
        }
        let original = std::mem::take(items);
        *items = json!({ "anyOf": [original, item_reference_schema()] });
        changed.push(format!("{}/properties/input/items", pointer_of(name)));
    }
    changed
}

/// The `audio.input` members whose descriptions say null turns them off.
const AUDIO_INPUT_NULLABLE: [&str; 2] = ["transcription", "noise_reduction"];

fn audio_input_null(schemas: &mut Map<String, Value>) -> Vec<String> {
    let snapshot = schemas.clone();
    let mut changed = Vec::new();
    for_each_schema(schemas, &mut |schema, pointer| {
        let Some(members) = schema.pointer_mut("/properties/audio/properties/input/properties")
        else {
            return;
        };
        for member in AUDIO_INPUT_NULLABLE {
            if let Some(member_schema) = members.get_mut(member) {
                if !accepts_null(&snapshot, member_schema, 0) {
                    wrap_nullable(member_schema);
                    changed.push(format!(
                        "{pointer}/properties/audio/properties/input/properties/{member}"
                    ));
                }
            }
        }
    });
    changed
}

/// Whether a description says its member "can be set to null". The committed extract keeps
/// no descriptions; it marks such schemas with
/// [`NULL_BY_DESCRIPTION`](super::walk::NULL_BY_DESCRIPTION) instead.
pub(crate) fn says_null_turns_off(description: &str) -> bool {
    let lower = description.to_ascii_lowercase();
    lower.contains("set to `null`") || lower.contains("set to null")
}

fn described_null(schemas: &mut Map<String, Value>) -> Vec<String> {
    let snapshot = schemas.clone();
    let mut changed = Vec::new();
    for_each_schema(schemas, &mut |schema, pointer| {
        let Some(Value::Object(members)) = schema.get_mut("properties") else {
            return;
        };
        let audio_input = pointer.ends_with("/properties/audio/properties/input");
        for (member, member_schema) in members.iter_mut() {
            // Left to `audio-input-null`, so that each fix can be turned off on its own.
            if audio_input && AUDIO_INPUT_NULLABLE.contains(&member.as_str()) {
                continue;
            }
            let target = member_schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(component_name)
                .and_then(|target| snapshot.get(&target));
            // The member's description or the referenced schema's: either, rather than the
            // member's first, because the extract cannot tell a member without a description
            // from one whose description does not mention null.
            let described =
                null_by_description(member_schema) || target.is_some_and(null_by_description);
            if described && !accepts_null(&snapshot, member_schema, 0) {
                wrap_nullable(member_schema);
                changed.push(format!(
                    "{pointer}/properties/{}",
                    crate::pointer::escape(member)
                ));
            }
        }
    });
    changed
}

/// Whether `schema` says, in its description or by the extract's marker, that it can be null.
fn null_by_description(schema: &Value) -> bool {
    schema.get(NULL_BY_DESCRIPTION) == Some(&Value::Bool(true))
        || schema
            .get("description")
            .and_then(Value::as_str)
            .is_some_and(says_null_turns_off)
}

fn client_secret_not_required(schemas: &mut Map<String, Value>) -> Vec<String> {
    let mut targets: Vec<String> = Vec::new();
    for (name, schema) in schemas.iter() {
        if !is_client_event_name(name) {
            continue;
        }
        if let Some(target) = schema
            .pointer("/properties/session/$ref")
            .and_then(Value::as_str)
            .and_then(component_name)
        {
            targets.push(target);
        }
    }
    let mut changed = Vec::new();
    for target in targets {
        let Some(Value::Array(required)) = schemas
            .get_mut(&target)
            .and_then(|schema| schema.get_mut("required"))
        else {
            continue;
        };
        let before = required.len();
        required.retain(|member| member != "client_secret");
        if required.len() != before {
            changed.push(format!("{}/required", pointer_of(&target)));
        }
    }
    changed.sort();
    changed.dedup();
    changed
}
