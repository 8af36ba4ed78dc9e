//! Round-trip fidelity: what changed between a frame and the model's
//! re-serialization of it.
//!
//! The one change the model is allowed to make is dropping an explicit
//! `null` on an optional member that the spec does not make nullable
//! (`"event_id": null`); it reads such a `null` as "absent". Members whose
//! `null` means something are kept. Numbers compare by value, so `1` and
//! `1.0` are the same number (the model stores floats as `f64`).

use serde_json::{Number, Value};

use crate::pointer::push_token;

/// One difference between a frame and its re-serialization.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// JSON pointer (RFC 6901) of the member that changed.
    pub pointer: String,
    /// What happened to it.
    pub kind: ChangeKind,
}

/// The kind of a [`Change`].
#[derive(Clone, Debug, PartialEq)]
pub enum ChangeKind {
    /// An explicit `null` was dropped: the documented normalization.
    NullDropped,
    /// A member was dropped.
    Dropped(Value),
    /// A member was added.
    Added(Value),
    /// A value changed.
    Changed {
        /// The value in the frame.
        before: Value,
        /// The value after the round trip.
        after: Value,
    },
}

impl Change {
    /// True for the documented null normalization.
    pub fn is_normalization(&self) -> bool {
        self.kind == ChangeKind::NullDropped
    }
}

/// Every difference between `before` (a frame) and `after` (its round trip).
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let mut pointer = String::new();
    diff(before, after, &mut pointer, &mut out);
    out
}

/// True when the round trip made no change but the documented normalization.
pub fn is_faithful(before: &Value, after: &Value) -> bool {
    changes(before, after).iter().all(Change::is_normalization)
}

/// Equality of JSON numbers by value.
pub fn numbers_equal(a: &Number, b: &Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn diff(before: &Value, after: &Value, pointer: &mut String, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                let len = pointer.len();
                push_token(pointer, key);
                match b.get(key) {
                    Some(vb) => diff(va, vb, pointer, out),
                    None if va.is_null() => out.push(Change {
                        pointer: pointer.clone(),
                        kind: ChangeKind::NullDropped,
                    }),
                    None => out.push(Change {
                        pointer: pointer.clone(),
                        kind: ChangeKind::Dropped(va.clone()),
                    }),
                }
                pointer.truncate(len);
            }
            for (key, vb) in b {
                if !a.contains_key(key) {
                    let len = pointer.len();
                    push_token(pointer, key);
                    out.push(Change {
                        pointer: pointer.clone(),
                        kind: ChangeKind::Added(vb.clone()),
                    });
                    pointer.truncate(len);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                let len = pointer.len();
                push_token(pointer, &i.to_string());
                diff(va, vb, pointer, out);
                pointer.truncate(len);
            }
        }
        (Value::Number(a), Value::Number(b)) if numbers_equal(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(Change {
            pointer: pointer.clone(),
            kind: ChangeKind::Changed {
                before: a.clone(),
                after: b.clone(),
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dropped_null_is_the_only_normalization() {
        let before = json!({"a": null, "b": 1, "c": {"d": null}});
        let after = json!({"b": 1.0, "c": {}});
        let found = changes(&before, &after);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(Change::is_normalization));
        assert!(is_faithful(&before, &after));
    }

    #[test]
    fn real_changes_are_reported_with_pointers() {
        let before = json!({"a/b": [1, 2], "x": "y"});
        let after = json!({"a/b": [1, 3], "z": true});
        let found = changes(&before, &after);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].pointer, "/a~1b/1");
        assert!(!is_faithful(&before, &after));
    }
}
