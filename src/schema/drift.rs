//! Drift between the official schema and the model, per event family:
//! members and enum values one side has and the other lacks, and members
//! whose `null` the two read differently.
//!
//! The schema side is [`crate::schema::schema_members_of`]; the model side is
//! derived from the model's own declarations (the family's `Shape`), so neither
//! list is written by hand. Both are keyed `<event type>/<member path>`
//! with union branches merged: `session.update/session.audio.input.format.type`,
//! `response.create/response.input[].content[].type`, `...variables.*`.
//!
//! The nested types serve both directions, so a member only the other
//! direction's schema names (the server session's `id` under
//! `session.update/session`) is reported apart from members no schema has.

use std::collections::{BTreeMap, BTreeSet};

use crate::events::Family;
use crate::schema::SchemaMember;
use crate::wire::shape::Shape;

/// What one side knows about a member path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Member {
    /// Enum values (closed) or known values (open sets), as strings.
    pub values: BTreeSet<String>,
    /// Any string is accepted (an open set, or a plain string).
    pub any_string: bool,
    /// A closed set of values is declared (an enum or a union tag).
    pub closed: bool,
    /// `null` is accepted and kept.
    pub nullable: bool,
}

/// The differences found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Member paths the schema has and the model lacks.
    pub schema_only_members: Vec<String>,
    /// Member paths the model has and the schema lacks.
    pub model_only_members: Vec<String>,
    /// Member paths the model has under this family's events that only the
    /// other direction's schema names (same path below the event): members
    /// of a shared type the checker judges by direction.
    pub other_direction_members: Vec<String>,
    /// `(path, value, the model rejects it)`: values the schema lists that
    /// the model does not (rejected when the model's set is closed; else
    /// only missing from its list of known values).
    pub schema_only_values: Vec<(String, String, bool)>,
    /// `(path, value, the schema rejects it)`: values the model lists that
    /// the schema does not.
    pub model_only_values: Vec<(String, String, bool)>,
    /// Paths where the schema accepts `null` and the model reads it as absent.
    pub nullable_in_schema_only: Vec<String>,
    /// Paths where the model keeps `null` and the schema rejects it.
    pub nullable_in_model_only: Vec<String>,
    /// Event types the schema lists outside the GA union, not compared.
    pub not_compared: Vec<String>,
}

impl Drift {
    /// True when the two sides agree on everything compared.
    pub fn is_empty(&self) -> bool {
        self.schema_only_members.is_empty()
            && self.model_only_members.is_empty()
            && self.schema_only_values.is_empty()
            && self.model_only_values.is_empty()
            && self.nullable_in_schema_only.is_empty()
            && self.nullable_in_model_only.is_empty()
    }
}

/// Compares the client schema's members with the client model's.
pub fn compare(schema: &BTreeMap<String, SchemaMember>) -> Drift {
    compare_family(schema, &BTreeMap::new(), Family::Client)
}

/// Compares the schema's members of `family` with the model's; `other` is
/// the other family's schema members, which tell a shared type's members of
/// the other direction from members no schema has.
pub fn compare_family(
    schema: &BTreeMap<String, SchemaMember>,
    other: &BTreeMap<String, SchemaMember>,
    family: Family,
) -> Drift {
    let (schema, not_compared) = schema_side(schema, family);
    let model = model_side_of(family);
    let mut drift = Drift {
        not_compared,
        ..Drift::default()
    };
    for (path, s) in &schema {
        let Some(m) = model.get(path) else {
            drift.schema_only_members.push(path.clone());
            continue;
        };
        // Only members the model gives a list of values are compared: a
        // plain string or number has none (`rate` is an integer the
        // checker bounds, rule `pcm-rate`).
        let model_lists = m.closed || (m.any_string && !m.values.is_empty());
        if model_lists {
            for value in s.values.difference(&m.values) {
                drift
                    .schema_only_values
                    .push((path.clone(), value.clone(), !m.any_string));
            }
        }
        if !s.values.is_empty() || !s.any_string {
            for value in m.values.difference(&s.values) {
                drift
                    .model_only_values
                    .push((path.clone(), value.clone(), !s.any_string));
            }
        }
        if s.nullable && !m.nullable {
            drift.nullable_in_schema_only.push(path.clone());
        }
        if m.nullable && !s.nullable {
            drift.nullable_in_model_only.push(path.clone());
        }
    }
    let elsewhere: BTreeSet<String> = other
        .keys()
        .filter_map(|key| key.split_once('/'))
        .map(|(_, path)| strip_branches(path))
        .collect();
    for path in model.keys().filter(|p| !schema.contains_key(*p)) {
        let below_event = path.split_once('/').map_or("", |(_, rest)| rest);
        if elsewhere.contains(below_event) {
            drift.other_direction_members.push(path.clone());
        } else {
            drift.model_only_members.push(path.clone());
        }
    }
    drift
}

/// The schema's members of the family's GA events, branches merged; and the
/// event types left out.
fn schema_side(
    members: &BTreeMap<String, SchemaMember>,
    family: Family,
) -> (BTreeMap<String, Member>, Vec<String>) {
    let mut merged: BTreeMap<String, Member> = BTreeMap::new();
    let mut others = BTreeSet::new();
    for (key, member) in members {
        let Some((event, path)) = key.split_once('/') else {
            continue;
        };
        if !family.is_ga_type(event) {
            others.insert(event.to_owned());
            continue;
        }
        let entry = merged
            .entry(format!("{event}/{}", strip_branches(path)))
            .or_default();
        entry.values.extend(member.enum_values.iter().cloned());
        // A member with no type constraint accepts any string too.
        entry.any_string |= member.accepts_any_string || member.types.is_empty();
        entry.nullable |= member.nullable;
    }
    (merged, others.into_iter().collect())
}

/// `session(realtime).tools[](mcp).server_url` -> `session.tools[].server_url`.
fn strip_branches(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0u32;
    for c in path.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The client model's members, from its shape description.
pub fn model_side() -> BTreeMap<String, Member> {
    model_side_of(Family::Client)
}

/// The model's members of `family`, from its shape description.
pub fn model_side_of(family: Family) -> BTreeMap<String, Member> {
    let mut members: BTreeMap<String, Member> = BTreeMap::new();
    family.shape().walk(&mut |path, shape| {
        let Some((event, rest)) = split_event(path) else {
            return;
        };
        if rest.is_empty() {
            // The event object itself: its `type` is the union's tag.
            let entry = members.entry(format!("{event}/type")).or_default();
            entry.values.insert(event.to_owned());
            entry.closed = true;
        } else if !rest.last().is_some_and(|s| is_branch(s)) {
            // A branch segment names no member of its own: its shape is
            // the union member's, recorded under the member's path.
            let entry = members.entry(model_key(event, rest)).or_default();
            match shape {
                Shape::Enum(values) => {
                    entry.values.extend(values.iter().map(|v| v.to_string()));
                    entry.closed = true;
                }
                Shape::OpenString(values) => {
                    entry.values.extend(values.iter().map(|v| v.to_string()));
                    entry.any_string = true;
                }
                Shape::String | Shape::Base64 => entry.any_string = true,
                _ => {}
            }
        }
        let here = if rest.is_empty() {
            None
        } else {
            Some(model_key(event, rest))
        };
        match shape {
            Shape::Object(object) => {
                for member in &object.members {
                    let key = join(event, here.as_deref(), member.name);
                    members.entry(key).or_default().nullable |= member.nullable;
                }
            }
            Shape::Union(union) if !rest.is_empty() => {
                let entry = members
                    .entry(join(event, here.as_deref(), union.tag))
                    .or_default();
                entry
                    .values
                    .extend(union.variants.iter().map(|(v, _)| v.to_string()));
                entry.closed = true;
            }
            _ => {}
        }
    });
    members
}

fn split_event(path: &[String]) -> Option<(&str, &[String])> {
    let (first, rest) = path.split_first()?;
    let event = first.strip_prefix("[type=")?.strip_suffix(']')?;
    Some((event, rest))
}

fn is_branch(segment: &str) -> bool {
    segment.starts_with('[') && segment.contains('=')
}

/// `["session", "[type=realtime]", "tools", "[]", "[type=mcp]", "server_url"]`
/// -> `event/session.tools[].server_url`; maps (`{}`) become `.*`.
fn model_key(event: &str, rest: &[String]) -> String {
    let mut out = String::new();
    for segment in rest {
        if segment == "[]" {
            out.push_str("[]");
        } else if segment == "{}" {
            out.push_str(".*");
        } else if is_branch(segment) {
            continue;
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    format!("{event}/{out}")
}

/// The key of member `name` under the member at `here` (the event itself when `None`).
fn join(event: &str, here: Option<&str>, name: &str) -> String {
    match here {
        None => format!("{event}/{name}"),
        Some(key) if key.ends_with('/') => format!("{key}{name}"),
        Some(key) => format!("{key}.{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_are_stripped() {
        assert_eq!(
            strip_branches("session(realtime).tools[](mcp).server_url"),
            "session.tools[].server_url"
        );
        assert_eq!(
            strip_branches("item(message,user).content[].type"),
            "item.content[].type"
        );
        assert_eq!(
            strip_branches("audio.input.format(audio/pcm).rate"),
            "audio.input.format.rate"
        );
    }

    #[test]
    fn the_model_side_lists_deep_members_tags_and_nullability() {
        let model = model_side();
        let get = |k: &str| model.get(k).unwrap_or_else(|| panic!("no {k}"));
        assert!(get("session.update/type").values.contains("session.update"));
        assert!(get("session.update/session.type")
            .values
            .contains("transcription"));
        assert!(get("conversation.item.create/item.role")
            .values
            .contains("assistant"));
        assert!(get("session.update/session.tools[].server_url").any_string);
        assert!(get("response.create/response.metadata.*").any_string);
        assert!(get("session.update/session.audio.input.turn_detection").nullable);
        assert!(!get("session.update/event_id").nullable);
        assert!(get("session.update/session.audio.output.voice")
            .values
            .contains("marin"));
    }

    #[test]
    fn every_kind_of_difference_is_found() {
        // A schema that says exactly what the model says...
        let mut schema: BTreeMap<String, SchemaMember> = model_side()
            .into_iter()
            .map(|(path, m)| {
                let member = SchemaMember {
                    enum_values: m.values.into_iter().collect(),
                    accepts_any_string: m.any_string,
                    nullable: m.nullable,
                    types: ["string".to_owned()].into_iter().collect(),
                    ..SchemaMember::default()
                };
                (path, member)
            })
            .collect();
        assert!(compare(&schema).is_empty(), "{:#?}", compare(&schema));

        // ...then one difference of each kind.
        schema.remove("session.update/session.instructions");
        schema.insert(
            "session.update/session.temperature".to_owned(),
            SchemaMember::default(),
        );
        let eagerness = "session.update/session.audio.input.turn_detection.eagerness";
        schema
            .get_mut(eagerness)
            .unwrap()
            .enum_values
            .push("eager".to_owned());
        schema
            .get_mut("response.create/response.conversation")
            .unwrap()
            .enum_values
            .retain(|v| v != "none");
        schema.get_mut("session.update/event_id").unwrap().nullable = true;
        schema
            .get_mut("session.update/session.tracing")
            .unwrap()
            .nullable = false;
        schema.insert(
            "transcription_session.update/type".to_owned(),
            SchemaMember::default(),
        );

        let drift = compare(&schema);
        assert_eq!(
            drift.schema_only_members,
            ["session.update/session.temperature"]
        );
        assert_eq!(
            drift.model_only_members,
            ["session.update/session.instructions"]
        );
        assert_eq!(
            drift.schema_only_values,
            [(eagerness.to_owned(), "eager".to_owned(), true)]
        );
        assert_eq!(
            drift.model_only_values,
            [(
                "response.create/response.conversation".to_owned(),
                "none".to_owned(),
                false
            )]
        );
        assert_eq!(drift.nullable_in_schema_only, ["session.update/event_id"]);
        assert_eq!(
            drift.nullable_in_model_only,
            ["session.update/session.tracing"]
        );
        assert_eq!(drift.not_compared, ["transcription_session.update"]);
    }
}
