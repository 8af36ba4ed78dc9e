//! Edits of a valid frame: reorder members, drop one, change a value's JSON
//! type, truncate the text, insert bytes, duplicate a key, wrap a value in
//! deeper nesting. Where an edit lands is chosen by a [`SplitMix64`] stream
//! from a seed proptest draws.

use std::fmt::Debug;

use arbitrary::Arbitrary;
use proptest::prelude::*;
use realtime_harness::fuzzing::FrameEvent;
use realtime_harness::pointer::{self, child};
use realtime_harness::rng::SplitMix64;
use serde_json::{Map, Value};

use crate::bridge::arbitrary;
use crate::fidelity::frame_of;
use crate::json::Level;

/// JSON pointers of every value in `value`, the root (`""`) first.
pub fn value_pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, String::new(), &mut out, &|_| true);
    out
}

/// JSON pointers of every object in `value` with at least one member.
pub fn object_pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, String::new(), &mut out, &|v| {
        v.as_object().is_some_and(|m| !m.is_empty())
    });
    out
}

fn collect(value: &Value, pointer: String, out: &mut Vec<String>, keep: &dyn Fn(&Value) -> bool) {
    if keep(value) {
        out.push(pointer.clone());
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, child(&pointer, &i.to_string()), out, keep);
            }
        }
        Value::Object(members) => {
            for (name, v) in members {
                collect(v, child(&pointer, name), out, keep);
            }
        }
        _ => {}
    }
}

/// Reorders the members of every object, at every depth.
pub fn permute_members(value: &mut Value, choices: &mut SplitMix64) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| permute_members(v, choices)),
        Value::Object(members) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(members).into_iter().collect();
            choices.shuffle(&mut entries);
            for (_, v) in &mut entries {
                permute_members(v, choices);
            }
            *members = entries.into_iter().collect();
        }
        _ => {}
    }
}

/// Moves every member called `type` or `role` to the end of its object, at
/// every depth, after reversing the others: union tags come last.
pub fn tags_last(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(tags_last),
        Value::Object(members) => {
            let entries: Vec<(String, Value)> = std::mem::take(members).into_iter().collect();
            let (mut tags, mut rest): (Vec<_>, Vec<_>) = entries
                .into_iter()
                .partition(|(k, _)| k == "type" || k == "role");
            rest.reverse();
            rest.append(&mut tags);
            for (_, v) in &mut rest {
                tags_last(v);
            }
            *members = rest.into_iter().collect();
        }
        _ => {}
    }
}

/// JSON text of `value`, with the member at `index` of the object at
/// `pointer` written twice (serde_json's `Map` cannot hold a duplicate).
pub fn text_with_duplicate(value: &Value, pointer: &str, index: usize) -> String {
    let mut out = String::new();
    write_duplicating(value, "", pointer, index, &mut out);
    out
}

fn write_duplicating(value: &Value, here: &str, target: &str, index: usize, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_duplicating(item, &child(here, &i.to_string()), target, index, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            let mut first = true;
            for (i, (name, v)) in members.iter().enumerate() {
                let times = if here == target && i == index { 2 } else { 1 };
                for _ in 0..times {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&Value::String(name.clone()).to_string());
                    out.push(':');
                    write_duplicating(v, &child(here, name), target, index, out);
                }
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// One edit of a valid frame.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// Remove one member of one object.
    DropMember,
    /// Replace one value by a value of another JSON type.
    ChangeType,
    /// Cut the text before some byte.
    Truncate,
    /// Insert these bytes somewhere in the text.
    InsertBytes(Vec<u8>),
    /// Write one member of one object twice.
    DuplicateKey,
    /// Wrap one value in an array or an object.
    Nest(Level),
}

/// Bytes to insert: random ones, or JSON punctuation and near-JSON tokens.
pub fn inserted_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(vec![
            &b"{"[..],
            b"}",
            b"[",
            b"]",
            b"\"",
            b",",
            b":",
            b"null",
            b"\\",
            b"\\u00",
            b" ",
            b"\x00",
            b"\xff",
            b"1e999",
            b"-",
        ])
        .prop_map(<[u8]>::to_vec),
    ]
}

/// A level of nesting to wrap a value in.
pub fn nesting() -> impl Strategy<Value = Level> {
    prop_oneof![Just(Level::Array), "[a-z]{1,4}".prop_map(Level::Object)]
}

/// Any [`Mutation`], each kind equally likely.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::DropMember),
        Just(Mutation::ChangeType),
        Just(Mutation::Truncate),
        inserted_bytes().prop_map(Mutation::InsertBytes),
        Just(Mutation::DuplicateKey),
        nesting().prop_map(Mutation::Nest),
    ]
}

/// The text of an arbitrary `E` frame after one of `edits`, applied where a
/// drawn seed says: the input of every property about edited frames.
pub fn edited_frames<E>(edits: impl Strategy<Value = Mutation>) -> impl Strategy<Value = Vec<u8>>
where
    E: FrameEvent + for<'a> Arbitrary<'a> + Clone + Debug,
{
    (arbitrary::<E>(), edits, any::<u64>()).prop_map(|(event, edit, seed)| {
        apply(&frame_of(&event), &edit, &mut SplitMix64::new(seed)).bytes
    })
}

/// A value of another JSON type than `current`.
fn other_type(current: &Value, choices: &mut SplitMix64) -> Value {
    let candidates = [
        Value::Null,
        Value::Bool(true),
        Value::from(-7),
        Value::from(2.5),
        Value::from(u64::MAX),
        Value::String("x".into()),
        Value::Array(Vec::new()),
        Value::Object(Map::new()),
    ];
    let kind = |v: &Value| std::mem::discriminant(v);
    let others: Vec<&Value> = candidates
        .iter()
        .filter(|c| kind(c) != kind(current))
        .collect();
    others[choices.below(others.len())].clone()
}

/// A frame after an edit.
#[derive(Clone, Debug)]
pub struct Edited {
    /// The edited text.
    pub bytes: Vec<u8>,
    /// JSON pointer of the member or value edited; `None` for edits of the
    /// text (truncation, inserted bytes).
    pub at: Option<String>,
}

/// The frame's text after `mutation`, applied where `choices` say.
pub fn apply(frame: &Value, mutation: &Mutation, choices: &mut SplitMix64) -> Edited {
    let to_vec = |v: &Value| serde_json::to_vec(v).expect("a Value serializes");
    match mutation {
        Mutation::DropMember => {
            let mut edited = frame.clone();
            let objects = object_pointers(frame);
            let object = &objects[choices.below(objects.len())];
            let members = edited
                .pointer_mut(object)
                .and_then(Value::as_object_mut)
                .expect("pointer from object_pointers");
            let name = members
                .keys()
                .nth(choices.below(members.len()))
                .cloned()
                .expect("objects listed have members");
            members.shift_remove(&name);
            Edited {
                bytes: to_vec(&edited),
                at: Some(child(object, &name)),
            }
        }
        Mutation::ChangeType | Mutation::Nest(_) => {
            let mut edited = frame.clone();
            let pointers = value_pointers(frame);
            // Not the root: the frame stays an object.
            let pointer = &pointers[1 + choices.below(pointers.len() - 1)];
            let slot = edited
                .pointer_mut(pointer)
                .expect("pointer from value_pointers");
            *slot = match mutation {
                Mutation::Nest(level) => {
                    crate::json::nested(std::slice::from_ref(level), slot.take())
                }
                _ => other_type(slot, choices),
            };
            Edited {
                bytes: to_vec(&edited),
                at: Some(pointer.clone()),
            }
        }
        Mutation::Truncate => {
            let text = to_vec(frame);
            Edited {
                bytes: text[..choices.below(text.len())].to_vec(),
                at: None,
            }
        }
        Mutation::InsertBytes(bytes) => {
            let mut text = to_vec(frame);
            let at = choices.below(text.len() + 1);
            text.splice(at..at, bytes.iter().copied());
            Edited {
                bytes: text,
                at: None,
            }
        }
        Mutation::DuplicateKey => {
            let objects = object_pointers(frame);
            let object = &objects[choices.below(objects.len())];
            let members = frame.pointer(object).and_then(Value::as_object);
            let index = choices.below(members.map_or(1, Map::len));
            let name = members
                .and_then(|m| m.keys().nth(index))
                .cloned()
                .unwrap_or_default();
            Edited {
                bytes: text_with_duplicate(frame, object, index).into_bytes(),
                at: Some(child(object, &name)),
            }
        }
    }
}

/// The `ParseError::path` form (`session.tools[0].name`) of a JSON pointer
/// into `frame`: array indices in brackets, member names after dots.
pub fn pointer_to_path(frame: &Value, pointer: &str) -> String {
    let mut path = String::new();
    let mut here = frame;
    for token in pointer.split('/').skip(1) {
        let name = pointer::unescape(token);
        match here {
            Value::Array(items) => {
                path.push_str(&format!("[{name}]"));
                here = name
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .unwrap_or(&Value::Null);
            }
            Value::Object(members) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&name);
                here = members.get(&name).unwrap_or(&Value::Null);
            }
            _ => break,
        }
    }
    path
}
