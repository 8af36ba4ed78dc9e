//! Round-trip fidelity: what changed between a frame and the model's
//! re-serialization of it.
//!
//! The one change the model is allowed to make is dropping an explicit
//! `null` on an optional member that the spec does not make nullable
//! (`"event_id": null`); it reads such a `null` as "absent". Members whose
//! `null` means something are kept. Numbers compare by value, so `1` and
//! `1.0` are the same number (the model stores floats as `f64`).
//!
//! [`text_changes`] compares the frame's text with the re-serialization's
//! text, member by member, without building a `Value` of either: a `Value`
//! would hide a dropped duplicate member or a rounded number in free-form
//! JSON, and costs many times the frame's size.

use std::borrow::Cow;
use std::ops::Range;

use serde_json::{Number, Value};

use crate::pointer::push_token;
use crate::wire::raw::{decode_key, elements, members, skip_ws, MAX_DEPTH};
use crate::wire::RawJson;

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
    /// A member was dropped (its text in the frame).
    Dropped(RawJson),
    /// A member was added (its text after the round trip).
    Added(RawJson),
    /// A value changed.
    Changed {
        /// The value's text in the frame.
        before: RawJson,
        /// The value's text after the round trip.
        after: RawJson,
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
                        kind: ChangeKind::Dropped(RawJson::from_value(va)),
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
                        kind: ChangeKind::Added(RawJson::from_value(vb)),
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
                before: RawJson::from_value(a),
                after: RawJson::from_value(b),
            },
        }),
    }
}

/// True when serializing `value` writes exactly the bytes of `frame` (up to
/// trailing whitespace), compared as they are written, with no copy kept:
/// the common case, a frame in the model's own compact form, costs no
/// memory at all.
pub fn writes_exactly<T: serde::Serialize>(value: &T, frame: &[u8]) -> bool {
    struct Matcher<'a>(&'a [u8]);
    impl std::io::Write for Matcher<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            match self.0.strip_prefix(buf) {
                Some(rest) => {
                    self.0 = rest;
                    Ok(buf.len())
                }
                None => Err(std::io::Error::other("the bytes differ")),
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut matcher = Matcher(frame);
    serde_json::to_writer(&mut matcher, value).is_ok()
        && matcher
            .0
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// Every difference between the text of a frame and the text of its
/// re-serialization (both JSON), by the rules of [`changes`]; free-form
/// values are compared as text, so a repeated member name or a number
/// spelled another way counts as a change.
pub fn text_changes(before: &str, after: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let mut pointer = String::new();
    let a = skip_ws(before, 0);
    let b = skip_ws(after, 0);
    let a = a..crate::wire::raw::value_end(before, a);
    let b = b..crate::wire::raw::value_end(after, b);
    TextDiff {
        before,
        after,
        out: &mut out,
    }
    .diff(a, b, &mut pointer, 0);
    out
}

struct TextDiff<'a, 'o> {
    before: &'a str,
    after: &'a str,
    out: &'o mut Vec<Change>,
}

/// The text of a span, as a kept value.
fn raw(text: &str, span: Range<usize>) -> RawJson {
    let text = &text[span];
    RawJson::from_string(text.to_owned())
        .unwrap_or_else(|_| RawJson::from_value(&Value::String(text.to_owned())))
}

impl TextDiff<'_, '_> {
    fn push(&mut self, pointer: &str, kind: ChangeKind) {
        self.out.push(Change {
            pointer: pointer.to_owned(),
            kind,
        });
    }

    fn changed(&mut self, pointer: &str, a: Range<usize>, b: Range<usize>) {
        let kind = ChangeKind::Changed {
            before: raw(self.before, a),
            after: raw(self.after, b),
        };
        self.push(pointer, kind);
    }

    fn diff(&mut self, a: Range<usize>, b: Range<usize>, pointer: &mut String, depth: usize) {
        let (ta, tb) = (&self.before[a.clone()], &self.after[b.clone()]);
        if ta == tb {
            return;
        }
        match (ta.as_bytes().first(), tb.as_bytes().first()) {
            // Nesting past the parser's limit cannot come from the model;
            // compare such values as text rather than recurse further.
            _ if depth > MAX_DEPTH + 8 => self.changed(pointer, a, b),
            (Some(b'{'), Some(b'{')) => self.objects(a.start, b.start, pointer, depth),
            (Some(b'['), Some(b'[')) => {
                let ea: Vec<Range<usize>> = elements(self.before, a.start).collect();
                let eb: Vec<Range<usize>> = elements(self.after, b.start).collect();
                if ea.len() != eb.len() {
                    return self.changed(pointer, a, b);
                }
                for (i, (va, vb)) in ea.into_iter().zip(eb).enumerate() {
                    let len = pointer.len();
                    push_token(pointer, &i.to_string());
                    self.diff(va, vb, pointer, depth + 1);
                    pointer.truncate(len);
                }
            }
            (Some(b'"'), Some(b'"')) => {
                if !(ta.contains('\\') || tb.contains('\\'))
                    || serde_json::from_str::<Cow<str>>(ta).ok()
                        != serde_json::from_str::<Cow<str>>(tb).ok()
                {
                    self.changed(pointer, a, b);
                }
            }
            (Some(x), Some(y)) if is_number_start(*x) && is_number_start(*y) => {
                let equal = match (
                    serde_json::from_str::<Number>(ta),
                    serde_json::from_str::<Number>(tb),
                ) {
                    (Ok(x), Ok(y)) => numbers_equal(&x, &y),
                    _ => false,
                };
                if !equal {
                    self.changed(pointer, a, b);
                }
            }
            _ => self.changed(pointer, a, b),
        }
    }

    fn objects(&mut self, a: usize, b: usize, pointer: &mut String, depth: usize) {
        let (before, after) = (self.before, self.after);
        let mut ma = members(before, a).peekable();
        let mut mb = members(after, b).peekable();
        // The common case: the same names in the same order, no index.
        while let (Some(x), Some(y)) = (ma.peek(), mb.peek()) {
            let name = decode_key(&before[x.key.clone()]);
            if name != decode_key(&after[y.key.clone()]) {
                break;
            }
            let (va, vb) = (x.value.clone(), y.value.clone());
            let len = pointer.len();
            push_token(pointer, &name);
            self.diff(va, vb, pointer, depth + 1);
            pointer.truncate(len);
            ma.next();
            mb.next();
        }
        if ma.peek().is_none() && mb.peek().is_none() {
            return;
        }
        // The rest by name: the re-serialization's members sorted, each
        // taken once (a repeated name in the frame finds no second partner).
        let mut index: Vec<(Cow<str>, Range<usize>, bool)> = mb
            .map(|m| (decode_key(&after[m.key]), m.value, false))
            .collect();
        index.sort_by(|x, y| x.0.cmp(&y.0));
        for m in ma {
            let name = decode_key(&before[m.key.clone()]);
            let len = pointer.len();
            push_token(pointer, &name);
            let first = index.partition_point(|(k, _, _)| k.as_ref() < name.as_ref());
            let partner = index[first..]
                .iter_mut()
                .take_while(|(k, _, _)| *k == name)
                .find(|(_, _, used)| !used);
            match partner {
                Some((_, vb, used)) => {
                    *used = true;
                    let vb = vb.clone();
                    self.diff(m.value, vb, pointer, depth + 1);
                }
                None if &before[m.value.clone()] == "null" => {
                    self.push(pointer, ChangeKind::NullDropped)
                }
                None => {
                    let kind = ChangeKind::Dropped(raw(before, m.value));
                    self.push(pointer, kind);
                }
            }
            pointer.truncate(len);
        }
        let added: Vec<(String, Range<usize>)> = index
            .into_iter()
            .filter(|(_, _, used)| !used)
            .map(|(k, v, _)| (k.into_owned(), v))
            .collect();
        for (name, value) in added {
            let len = pointer.len();
            push_token(pointer, &name);
            let kind = ChangeKind::Added(raw(after, value));
            self.push(pointer, kind);
            pointer.truncate(len);
        }
    }
}

fn is_number_start(byte: u8) -> bool {
    byte == b'-' || byte.is_ascii_digit()
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
