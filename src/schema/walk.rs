//! Walking schemas by keyword, so that a property *named* `nullable` or `discriminator` is never
//! mistaken for the keyword, and following local `$ref`s to `components.schemas`.

use serde_json::{Map, Value};

/// Marks a schema whose description in the full document says it can be set to `null`
/// (`"x-description-allows-null": true`): the only fact the extract keeps from a description.
pub const NULL_BY_DESCRIPTION: &str = "x-description-allows-null";

/// The prefix of every reference the oracle resolves: OpenAPI's local component references.
pub(crate) const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Keywords whose value is a map from names to subschemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is one subschema.
const SCHEMA_SINGLES: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "propertyNames",
    "contains",
    "not",
    "if",
    "then",
    "else",
];
/// Keywords whose value is a list of subschemas.
const SCHEMA_LISTS: &[&str] = &["anyOf", "oneOf", "allOf", "prefixItems"];

/// The `components.schemas` name a `$ref` points to, when it is a whole-schema local reference.
pub(crate) fn component_name(reference: &str) -> Option<String> {
    let rest = reference.strip_prefix(SCHEMA_REF_PREFIX)?;
    (!rest.contains('/')).then(|| crate::pointer::unescape(&percent_decode(rest)))
}

/// `$ref` fragments may be percent-encoded (a URI); schema names in practice never are, but a
/// name with a space would be.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).unwrap_or("");
            let is_hex = hex.len() == 2 && hex.bytes().all(|b| b.is_ascii_hexdigit());
            if let (true, Ok(byte)) = (is_hex, u8::from_str_radix(hex, 16)) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Calls `visit` on `schema` and every subschema below it, children first, with the JSON
/// Pointer of each. Children first lets `visit` replace a schema (wrap it in an `anyOf`)
/// without the walk descending into what it just built.
pub(crate) fn visit_schemas_mut(
    schema: &mut Value,
    pointer: &str,
    visit: &mut dyn FnMut(&mut Value, &str),
) {
    if let Value::Object(object) = schema {
        for (keyword, child) in object.iter_mut() {
            let keyword_pointer = format!("{pointer}/{}", crate::pointer::escape(keyword));
            match keyword.as_str() {
                k if SCHEMA_MAPS.contains(&k) => {
                    if let Value::Object(children) = child {
                        for (name, sub) in children.iter_mut() {
                            let sub_pointer =
                                format!("{keyword_pointer}/{}", crate::pointer::escape(name));
                            visit_schemas_mut(sub, &sub_pointer, visit);
                        }
                    }
                }
                k if SCHEMA_SINGLES.contains(&k) => {
                    visit_schemas_mut(child, &keyword_pointer, visit);
                }
                k if SCHEMA_LISTS.contains(&k) => {
                    if let Value::Array(children) = child {
                        for (index, sub) in children.iter_mut().enumerate() {
                            visit_schemas_mut(sub, &format!("{keyword_pointer}/{index}"), visit);
                        }
                    }
                }
                // `items` is one schema in 2020-12 and a list in older drafts.
                "items" => match child {
                    Value::Array(children) => {
                        for (index, sub) in children.iter_mut().enumerate() {
                            visit_schemas_mut(sub, &format!("{keyword_pointer}/{index}"), visit);
                        }
                    }
                    _ => visit_schemas_mut(child, &keyword_pointer, visit),
                },
                _ => {}
            }
        }
    }
    visit(schema, pointer);
}

/// Every `components.schemas` name that `schema` refers to, directly, by `$ref`.
pub(crate) fn referenced_names(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = component_name(reference) {
                            out.push(name);
                        }
                    }
                    // Examples and vendor extensions are data, not schemas.
                    ("example" | "examples" | "default" | "const" | "enum", _) => {}
                    (k, _) if k.starts_with("x-") => {}
                    _ => referenced_names(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| referenced_names(item, out)),
        _ => {}
    }
}

/// Follows `$ref` chains (bounded, since a document can be cyclic) to the schema that says
/// something besides `$ref`.
pub(crate) fn resolve<'a>(schemas: &'a Map<String, Value>, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        match component_name(reference).and_then(|name| schemas.get(&name)) {
            Some(target) => schema = target,
            None => return schema,
        }
    }
    schema
}

/// Whether `schema` accepts JSON `null` by its own keywords or through the unions and
/// references it is made of. Conservative: a schema that says nothing about types counts as
/// accepting null.
pub(crate) fn accepts_null(schemas: &Map<String, Value>, schema: &Value, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let Value::Object(object) = schema else {
        return schema.as_bool().unwrap_or(false);
    };
    if object.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        if let Some(target) = component_name(reference).and_then(|name| schemas.get(&name)) {
            if !accepts_null(schemas, target, depth + 1) {
                return false;
            }
        }
    }
    match object.get("type") {
        Some(Value::String(t)) if t != "null" => return false,
        Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => return false,
        _ => {}
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        if !values.iter().any(Value::is_null) {
            return false;
        }
    }
    if let Some(value) = object.get("const") {
        if !value.is_null() {
            return false;
        }
    }
    for union in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = object.get(union) {
            if !branches
                .iter()
                .any(|branch| accepts_null(schemas, branch, depth + 1))
            {
                return false;
            }
        }
    }
    if let Some(Value::Array(parts)) = object.get("allOf") {
        if !parts
            .iter()
            .all(|part| accepts_null(schemas, part, depth + 1))
        {
            return false;
        }
    }
    true
}

/// Makes `schema` also accept `null`: `{"anyOf": [schema, {"type": "null"}]}`. Wrapping rather
/// than editing `type` works whatever the schema is made of (`$ref`, `oneOf`, `enum`).
pub(crate) fn wrap_nullable(schema: &mut Value) {
    let inner = std::mem::take(schema);
    let mut wrapper = Map::new();
    wrapper.insert(
        "anyOf".to_owned(),
        Value::Array(vec![inner, serde_json::json!({ "type": "null" })]),
    );
    *schema = Value::Object(wrapper);
}
