//! The structure-only extract of OpenAI's OpenAPI document that the crate carries
//! (`spec/realtime.schema.json`), made by `realtime-harness schema extract`.
//!
//! The extract keeps what a validator reads and nothing a person reads: every keyword that
//! constrains a value (types, members, required lists, enums, `const`, ranges, lengths,
//! formats, patterns, `nullable`, unions, `$ref`, `additionalProperties`, `items`) and the
//! `default` values, which are JSON values the API applies, not text. Descriptions, titles,
//! examples and vendor extensions (`x-oaiMeta`, `x-stainless-*`) are dropped. The one
//! meaning a description carries that the oracle needs, "can be set to null", is kept as the
//! marker [`NULL_BY_DESCRIPTION`] on the same schema, so the `described-null`
//! [`DefectFix`](super::DefectFix) reads the extract and the full document alike.
//!
//! Object keys are sorted at every depth and the text is pretty-printed with a final newline,
//! so the same input always gives the same bytes (the drift test compares them byte for byte).
//! Extracting an extract gives it back unchanged.

use std::path::Path;

use serde_json::{Map, Value};

use super::defects::says_null_turns_off;

use super::{SpecDocument, SpecError, SpecProblem};

/// The top-level member of an extract that records where it comes from and how to remake it.
pub const EXTRACT_HEADER: &str = "x-realtime-harness-extract";

pub use super::walk::NULL_BY_DESCRIPTION;

/// The command that regenerates the committed extract, as its header records it.
pub const REGENERATE_COMMAND: &str =
    "realtime-harness schema extract --spec OPENAPI_FILE > spec/realtime.schema.json";

/// Schemas whose names start with one of these are the roots of the extract; it holds them and
/// every schema they reach by `$ref`. They cover the GA unions `RealtimeClientEvent` and
/// `RealtimeServerEvent`, every GA and legacy event schema (among them
/// `RealtimeClientEventTranscriptionSessionUpdate`, outside the GA union) and the beta-era
/// `RealtimeBetaClientEvent*`/`RealtimeBetaServerEvent*` events.
pub const ROOT_PREFIXES: [&str; 4] = [
    "RealtimeClientEvent",
    "RealtimeServerEvent",
    "RealtimeBetaClientEvent",
    "RealtimeBetaServerEvent",
];

/// The upstream repository every Realtime schema comes from.
const UPSTREAM_REPOSITORY: &str = "openai/openai-openapi";

/// The copyright line of the upstream document (its MIT license asks to keep it).
const UPSTREAM_COPYRIGHT: &str = "(c) OpenAI";

/// Keywords whose value is copied as it is (canonicalized): they constrain or describe values
/// without being text meant for people.
const VALUE_KEYWORDS: &[&str] = &[
    "$ref",
    "const",
    "contentEncoding",
    "contentMediaType",
    "default",
    "dependentRequired",
    "deprecated",
    "discriminator",
    "enum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "format",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "nullable",
    "pattern",
    "readOnly",
    "required",
    "type",
    "uniqueItems",
    "writeOnly",
    NULL_BY_DESCRIPTION,
];

/// Keywords whose value is a map from names to subschemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "$defs",
    "definitions",
    "dependentSchemas",
    "patternProperties",
    "properties",
];

/// Keywords whose value is one subschema (or a boolean schema).
const SCHEMA_KEYWORDS: &[&str] = &[
    "additionalItems",
    "additionalProperties",
    "contains",
    "else",
    "if",
    "not",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Keywords whose value is a list of subschemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Where an extract's schemas come from, as its header records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractSource {
    /// `owner/name` of the repository holding the document (`openai/openai-openapi`).
    pub repository: String,
    /// The document's file name in that repository (`openapi.json`).
    pub file: String,
    /// The commit the document was taken at, when known.
    pub commit: Option<String>,
    /// The document's license (`MIT`), as its `info.license` states it.
    pub license: Option<String>,
}

impl ExtractSource {
    /// What `doc` says about its own origin: the header of an extract, the `x-extracted`
    /// member of the project's reference copy, or else the upstream repository with the file
    /// name `doc` was read from and no commit.
    pub fn of(doc: &SpecDocument) -> Self {
        let root = doc.as_value();
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
        if let Some(header) = root.get(EXTRACT_HEADER) {
            let source = header.get("source");
            return Self {
                repository: text(source.and_then(|s| s.get("repository")))
                    .unwrap_or_else(|| UPSTREAM_REPOSITORY.to_owned()),
                file: text(source.and_then(|s| s.get("file")))
                    .unwrap_or_else(|| file_name(doc.source())),
                commit: text(source.and_then(|s| s.get("commit"))),
                license: text(header.get("license")),
            };
        }
        let license = root
            .pointer("/info/license")
            .and_then(|l| text(l.get("identifier")).or_else(|| text(l.get("name"))));
        // The reference copy says `"from": "openai/openai-openapi openapi.json"`.
        let extracted = root.get("x-extracted");
        let from = text(extracted.and_then(|e| e.get("from"))).unwrap_or_default();
        let mut words = from.split_whitespace();
        let (repository, file) = match (words.next(), words.next()) {
            (Some(repository), Some(file)) => (repository.to_owned(), file.to_owned()),
            _ => (UPSTREAM_REPOSITORY.to_owned(), file_name(doc.source())),
        };
        Self {
            repository,
            file,
            commit: text(extracted.and_then(|e| e.get("commit"))),
            license,
        }
    }
}

fn file_name(source: &str) -> String {
    Path::new(source)
        .file_name()
        .map_or_else(|| source.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The structure-only extract of `doc` as the text `spec/realtime.schema.json` holds:
/// deterministic, pretty-printed, ending in a newline.
///
/// `source` is recorded in the header; [`ExtractSource::of`] reads it from `doc`.
///
/// # Errors
///
/// When `doc` lacks `RealtimeClientEvent` or `RealtimeServerEvent`, or a `$ref` reached from
/// the roots names a schema the document lacks.
pub fn extract(doc: &SpecDocument, source: &ExtractSource) -> Result<String, SpecError> {
    let value = extract_value(doc, source)?;
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| SpecError::new(doc.source(), SpecProblem::Syntax(e.to_string())))?;
    text.push('\n');
    Ok(text)
}

/// The extract of `doc` as a JSON value (see [`extract`]).
///
/// # Errors
///
/// As [`extract`].
pub fn extract_value(doc: &SpecDocument, source: &ExtractSource) -> Result<Value, SpecError> {
    let all = doc.schemas();
    for union in ["RealtimeClientEvent", "RealtimeServerEvent"] {
        if !all.contains_key(union) {
            return Err(SpecError::new(
                doc.source(),
                SpecProblem::MissingSchema(format!(
                    "no `{union}` schema in `components.schemas`: not a document of the Realtime API"
                )),
            ));
        }
    }
    let schemas = doc.reachable(
        |name| ROOT_PREFIXES.iter().any(|p| name.starts_with(p)),
        structure,
    )?;

    let root = doc.as_value();
    let mut info = Map::new();
    for key in ["title", "version", "license"] {
        if let Some(value) = root.get("info").and_then(|i| i.get(key)) {
            info.insert(key.to_owned(), canonical(value));
        }
    }
    let mut out = Map::new();
    if let Some(version) = root.get("openapi") {
        out.insert("openapi".to_owned(), version.clone());
    }
    out.insert("info".to_owned(), Value::Object(info));
    out.insert(EXTRACT_HEADER.to_owned(), header(source));
    let mut components = Map::new();
    components.insert("schemas".to_owned(), Value::Object(schemas));
    out.insert("components".to_owned(), Value::Object(components));
    Ok(Value::Object(out))
}

fn header(source: &ExtractSource) -> Value {
    serde_json::json!({
        "what": "Structure-only extract of the Realtime API schemas of OpenAI's OpenAPI \
                 document: every schema reachable from the schemas named RealtimeClientEvent*, \
                 RealtimeServerEvent*, RealtimeBetaClientEvent* and RealtimeBetaServerEvent*, \
                 with their types, properties, required lists, enums, const, ranges, lengths, \
                 formats, patterns, nullable, unions, $ref, additionalProperties, items and \
                 default values, keys sorted. No description, title, example, x-oaiMeta or \
                 other documentation text.",
        "source": {
            "repository": source.repository,
            "file": source.file,
            "commit": source.commit.as_deref().unwrap_or("unknown (pass --source-commit)"),
        },
        "license": source.license.as_deref().unwrap_or("not stated in the source document"),
        "copyright": UPSTREAM_COPYRIGHT,
        "regenerate": REGENERATE_COMMAND,
        "roots": ROOT_PREFIXES.iter().map(|p| format!("{p}*")).collect::<Vec<_>>(),
        "markers": {
            NULL_BY_DESCRIPTION: "the schema's description in the source says it can be set \
                                  to null; read by the oracle's `described-null` defect fix",
        },
    })
}

/// One schema with only its structure kept, keys sorted at every depth.
fn structure(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        // `true`/`false` schemas, or whatever a broken document holds: kept as they are.
        return canonical(schema);
    };
    let mut out = std::collections::BTreeMap::new();
    for (keyword, value) in object {
        let k = keyword.as_str();
        let kept = if VALUE_KEYWORDS.contains(&k) {
            canonical(value)
        } else if SCHEMA_MAP_KEYWORDS.contains(&k) {
            match value {
                Value::Object(children) => sorted(children, structure),
                other => canonical(other),
            }
        } else if SCHEMA_KEYWORDS.contains(&k) {
            structure(value)
        } else if SCHEMA_LIST_KEYWORDS.contains(&k) || k == "items" {
            match value {
                Value::Array(children) => Value::Array(children.iter().map(structure).collect()),
                // `items` is one schema in 2020-12.
                other => structure(other),
            }
        } else {
            // description, title, example(s), $comment, externalDocs, x-*: text for people.
            continue;
        };
        out.insert(keyword.clone(), kept);
    }
    if object
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(says_null_turns_off)
    {
        out.insert(NULL_BY_DESCRIPTION.to_owned(), Value::Bool(true));
    }
    Value::Object(out.into_iter().collect())
}

/// `value` with the keys of every object sorted, so equal values print the same.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(object) => sorted(object, canonical),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The object with `f` applied to every member value, keys sorted.
fn sorted(object: &Map<String, Value>, f: fn(&Value) -> Value) -> Value {
    Value::Object(
        object
            .iter()
            .map(|(k, v)| (k.clone(), f(v)))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(schemas: Value) -> SpecDocument {
        SpecDocument::from_value(
            json!({
                "openapi": "3.1.0",
                "info": {"title": "T", "description": "prose", "version": "1",
                         "license": {"name": "MIT", "identifier": "MIT"}},
                "x-extracted": {"from": "openai/openai-openapi openapi.json", "commit": "abc"},
                "paths": {"/x": {}},
                "components": {"schemas": schemas},
            }),
            "t.json",
        )
        .unwrap()
    }

    #[test]
    fn prose_goes_structure_stays_and_unreached_schemas_are_left_out() {
        let d = doc(json!({
            "RealtimeClientEvent": {"anyOf": [{"$ref": "#/components/schemas/RealtimeClientEventX"}],
                                    "description": "Union", "x-oaiMeta": {"example": "{}"}},
            "RealtimeClientEventX": {
                "type": "object", "title": "X", "required": ["type"],
                "properties": {
                    "type": {"type": "string", "enum": ["x"], "x-stainless-const": true,
                             "description": "The type."},
                    "tracing": {"$ref": "#/components/schemas/Tracing"},
                    "n": {"type": "integer", "minimum": 0, "maximum": 5, "default": 1,
                          "example": 3}
                },
                "additionalProperties": false
            },
            "Tracing": {"description": "Set to `null` to turn off.", "type": "string",
                        "nullable": true},
            "RealtimeServerEvent": {"type": "object"},
            "Unrelated": {"type": "string"}
        }));
        let source = ExtractSource::of(&d);
        assert_eq!(source.commit.as_deref(), Some("abc"));
        assert_eq!(source.file, "openapi.json");
        let value = extract_value(&d, &source).unwrap();
        let schemas = &value["components"]["schemas"];
        assert_eq!(
            schemas.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "RealtimeClientEvent",
                "RealtimeClientEventX",
                "RealtimeServerEvent",
                "Tracing"
            ]
        );
        assert_eq!(
            schemas["RealtimeClientEventX"],
            json!({"additionalProperties": false, "properties": {
                "n": {"default": 1, "maximum": 5, "minimum": 0, "type": "integer"},
                "tracing": {"$ref": "#/components/schemas/Tracing"},
                "type": {"enum": ["x"], "type": "string"}},
                "required": ["type"], "type": "object"})
        );
        assert_eq!(
            schemas["Tracing"],
            json!({"nullable": true, "type": "string", NULL_BY_DESCRIPTION: true})
        );
        assert_eq!(
            value["info"],
            json!({"title": "T", "version": "1",
            "license": {"identifier": "MIT", "name": "MIT"}})
        );
        assert!(value.get("paths").is_none() && value.get("x-extracted").is_none());
        let text = extract(&d, &source).unwrap();
        for prose in [
            "The type.",
            "Union",
            "prose",
            "Set to `null`",
            "\"X\"",
            "x-stainless",
        ] {
            assert!(!text.contains(prose), "{prose} kept");
        }
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn an_extract_of_an_extract_is_the_same_text() {
        let d = doc(json!({
            "RealtimeClientEvent": {"oneOf": [{"type": "string", "description": "set to null"}]},
            "RealtimeServerEvent": {"type": "object", "properties": {"b": {}, "a": {}}}
        }));
        let first = extract(&d, &ExtractSource::of(&d)).unwrap();
        let again = SpecDocument::from_json_str(&first, "again.json").unwrap();
        assert_eq!(ExtractSource::of(&again), ExtractSource::of(&d));
        assert_eq!(extract(&again, &ExtractSource::of(&again)).unwrap(), first);
    }

    #[test]
    fn documents_without_both_unions_or_with_dangling_refs_are_refused() {
        let d = doc(json!({"RealtimeClientEvent": {}}));
        let err = extract(&d, &ExtractSource::of(&d)).unwrap_err();
        assert!(err.to_string().contains("RealtimeServerEvent"), "{err}");
        let d = doc(
            json!({"RealtimeClientEvent": {"$ref": "#/components/schemas/Gone"},
                           "RealtimeServerEvent": {}}),
        );
        let err = extract(&d, &ExtractSource::of(&d)).unwrap_err();
        assert!(err.to_string().contains("Gone"), "{err}");
    }
}
