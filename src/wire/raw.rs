//! Free-form JSON kept as written.
//!
//! The spec leaves some members untyped: a function tool's `parameters` and
//! an MCP tool's `input_schema` (JSON Schema objects), `metadata` and
//! `annotations` objects, and every member the model does not know. A proxy
//! must forward them unchanged, so the model keeps their text, not a
//! `serde_json::Value`: a `Value` drops the first of two same-named members,
//! rounds `0.000…1e5` and cannot hold `1e400`. [`RawJson`] validates the
//! text (it is JSON, nested at most [`MAX_DEPTH`] levels, like the typed
//! members) and keeps its bytes; [`RawJson::to_value`] gives a `Value` when
//! one is wanted. The checker reports duplicate member names inside it
//! ([`RawJson::duplicate_members`]).
//!
//! The span functions below read text that serde_json has already accepted:
//! they find where a value, member or element ends without building
//! anything, iteratively, so no depth of nesting can exhaust the stack.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::pointer::push_token;

/// The deepest nesting free-form JSON may have: serde_json's limit for the
/// typed members, so a value is never accepted in one place and refused in
/// another for its depth alone.
pub const MAX_DEPTH: usize = 128;

/// A JSON value kept as its exact text (any JSON type).
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Validates `text` as JSON and keeps it (surrounding whitespace
    /// included, as serde_json's `RawValue` does).
    pub fn from_string(text: String) -> Result<Self, serde_json::Error> {
        let raw = RawValue::from_string(text)?;
        check_depth(raw.get()).map_err(de::Error::custom)?;
        Ok(RawJson(raw))
    }

    /// The compact text of `value`.
    pub fn from_value(value: &Value) -> Self {
        RawJson(serde_json::value::to_raw_value(value).expect("a Value always serializes"))
    }

    /// The text as written.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The value as a `serde_json::Value`: of two same-named members it keeps
    /// the last, numbers become `f64` where they are not integers, and a
    /// number out of `f64` range is an error.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(self.get())
    }

    /// Reads the value as `T`.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.get())
    }

    /// True when the text is the JSON `null`.
    pub fn is_null(&self) -> bool {
        self.get().trim() == "null"
    }

    /// The JSON pointer (relative to this value) of every member whose name
    /// appeared before in the same object, in text order.
    pub fn duplicate_members(&self) -> Vec<String> {
        duplicate_members(self.get())
    }
}

/// Equal when the texts are the same JSON value, read faithfully: object
/// members in any order (as JSON objects are unordered) and whitespace and
/// string escapes do not count; a repeated member name and the spelling of a
/// number do.
impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        same_json(self.get(), other.get())
    }
}

/// See [`RawJson`]'s `PartialEq`.
pub(crate) fn same_json(a: &str, b: &str) -> bool {
    same_tokens(a, b) || {
        let (i, j) = (skip_ws(a, 0), skip_ws(b, 0));
        same_value(a, i..value_end(a, i), b, j..value_end(b, j), 0)
    }
}

fn same_value(a: &str, x: Range<usize>, b: &str, y: Range<usize>, depth: usize) -> bool {
    if same_tokens(&a[x.clone()], &b[y.clone()]) {
        return true;
    }
    if depth > MAX_DEPTH {
        return false;
    }
    match (a.as_bytes().get(x.start), b.as_bytes().get(y.start)) {
        (Some(b'{'), Some(b'{')) => {
            fn sorted(text: &str, at: usize) -> Vec<(Cow<'_, str>, Range<usize>)> {
                let mut found: Vec<(Cow<str>, Range<usize>)> = members(text, at)
                    .map(|m| (decode_key(&text[m.key]), m.value))
                    .collect();
                found.sort_by(|p, q| p.0.cmp(&q.0));
                found
            }
            let (ma, mb) = (sorted(a, x.start), sorted(b, y.start));
            ma.len() == mb.len()
                && ma
                    .into_iter()
                    .zip(mb)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_value(a, va, b, vb, depth + 1))
        }
        (Some(b'['), Some(b'[')) => {
            let (ea, eb): (Vec<_>, Vec<_>) = (
                elements(a, x.start).collect(),
                elements(b, y.start).collect(),
            );
            ea.len() == eb.len()
                && ea
                    .into_iter()
                    .zip(eb)
                    .all(|(va, vb)| same_value(a, va, b, vb, depth + 1))
        }
        _ => false,
    }
}

/// The same tokens in the same order, whitespace and string escapes apart.
fn same_tokens(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (mut i, mut j) = (0, 0);
    loop {
        i = skip_ws(a, i);
        j = skip_ws(b, j);
        match (a.as_bytes().get(i), b.as_bytes().get(j)) {
            (None, None) => return true,
            (Some(b'"'), Some(b'"')) => {
                let (ei, ej) = (string_end(a, i), string_end(b, j));
                let (x, y) = (&a[i..ei], &b[j..ej]);
                if x != y {
                    match (
                        serde_json::from_str::<Cow<str>>(x),
                        serde_json::from_str::<Cow<str>>(y),
                    ) {
                        (Ok(p), Ok(q)) if p == q => {}
                        // Different, or a lone surrogate that only its text names.
                        _ => return false,
                    }
                }
                (i, j) = (ei, ej);
            }
            (Some(x), Some(y)) if x == y => (i, j) = (i + 1, j + 1),
            _ => return false,
        }
    }
}

impl AsRef<str> for RawJson {
    fn as_ref(&self) -> &str {
        self.get()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl From<Value> for RawJson {
    fn from(value: Value) -> Self {
        RawJson::from_value(&value)
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // No depth check here: the depth that counts is the frame's, which
        // the parse entry points check once the frame is read (a check per
        // value would fire at a different level than serde_json's does).
        Ok(RawJson(Box::<RawValue>::deserialize(deserializer)?))
    }
}

/// A JSON object kept as its exact text: `parameters`, `input_schema`,
/// `metadata`, `annotations`.
#[derive(Clone, PartialEq)]
pub struct RawObject(RawJson);

impl RawObject {
    /// An empty object, `{}`.
    pub fn empty() -> Self {
        RawObject(RawJson::from_value(&Value::Object(Map::new())))
    }

    /// Validates `text` as a JSON object and keeps it.
    pub fn from_string(text: String) -> Result<Self, serde_json::Error> {
        let raw = RawJson::from_string(text)?;
        Self::from_raw(raw).map_err(de::Error::custom)
    }

    fn from_raw(raw: RawJson) -> Result<Self, &'static str> {
        if raw.get().trim_start().starts_with('{') {
            Ok(RawObject(raw))
        } else {
            Err("invalid type: expected a JSON object")
        }
    }

    /// The text as written.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The text, as any JSON value.
    pub fn as_raw(&self) -> &RawJson {
        &self.0
    }

    /// The members as a `serde_json::Map` (see [`RawJson::to_value`] for what
    /// a `Value` cannot hold).
    pub fn to_map(&self) -> Result<Map<String, Value>, serde_json::Error> {
        self.0.parse()
    }

    /// Looks up one member (the first of that name) as a `Value`.
    pub fn get_member(&self, name: &str) -> Option<Value> {
        let text = self.get();
        members(text, value_start(text))
            .find(|m| decode_key(&text[m.key.clone()]) == name)
            .and_then(|m| serde_json::from_str(&text[m.value]).ok())
    }

    /// See [`RawJson::duplicate_members`].
    pub fn duplicate_members(&self) -> Vec<String> {
        self.0.duplicate_members()
    }
}

impl fmt::Debug for RawObject {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl From<Map<String, Value>> for RawObject {
    fn from(map: Map<String, Value>) -> Self {
        RawObject(RawJson::from(Value::Object(map)))
    }
}

impl Serialize for RawObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RawObject::from_raw(RawJson::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for RawJson {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(RawJson::from(super::arb::json_value(u, 2)?))
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for RawObject {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(RawObject::from(super::arb::json_object(u)?))
    }
}

/// A member name decoded: borrowed when it has no escape.
pub(crate) fn decode_key(raw: &str) -> Cow<'_, str> {
    if raw.contains('\\') {
        // The text was accepted as JSON, so the quoted name decodes; a lone
        // surrogate escape (which JSON's grammar allows) keeps its text.
        serde_json::from_str::<String>(&format!("\"{raw}\"")).map_or(Cow::Borrowed(raw), Cow::Owned)
    } else {
        Cow::Borrowed(raw)
    }
}

/// The index of the first byte at or after `at` that is not JSON whitespace.
pub(crate) fn skip_ws(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// Where the value of a text that is one JSON value begins.
pub(crate) fn value_start(text: &str) -> usize {
    skip_ws(text, 0)
}

/// The end of the string whose opening quote is at `at`.
fn string_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() {
        match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
            Some(k) if bytes[i + k] == b'\\' => i += k + 2,
            Some(k) => return i + k + 1,
            None => break,
        }
    }
    bytes.len()
}

/// The end of the JSON value that begins at `at` (no leading whitespace),
/// found without recursion.
pub(crate) fn value_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(text, i);
                if depth == 0 {
                    return i;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            // A scalar at the top ends before its container's bracket.
            b'}' | b']' if depth == 0 => return i,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' | b' ' | b'\t' | b'\n' | b'\r' | b':' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// One member of an object: the name's text between its quotes (escapes
/// kept) and the span of its value.
pub(crate) struct Member {
    pub key: Range<usize>,
    pub value: Range<usize>,
}

/// Past whitespace and the comma that may separate two items.
fn next_item(text: &str, i: usize) -> usize {
    let i = skip_ws(text, i);
    if text.as_bytes().get(i) == Some(&b',') {
        skip_ws(text, i + 1)
    } else {
        i
    }
}

/// The name span and value start of the member whose name begins at `i`.
fn member_head(text: &str, i: usize) -> Option<(Range<usize>, usize)> {
    if text.as_bytes().get(i) != Some(&b'"') {
        return None;
    }
    let key_end = string_end(text, i);
    let key = i + 1..key_end.saturating_sub(1).max(i + 1);
    let colon = skip_ws(text, key_end);
    Some((key, skip_ws(text, colon + 1)))
}

/// The members of the object that begins at `at`, in text order.
pub(crate) fn members(text: &str, at: usize) -> impl Iterator<Item = Member> + '_ {
    let mut i = at + 1;
    std::iter::from_fn(move || {
        let (key, start) = member_head(text, next_item(text, i))?;
        i = value_end(text, start);
        Some(Member {
            key,
            value: start..i,
        })
    })
}

/// Where the value of the first member `name` of the object at `at` begins;
/// only the members before it are skipped, so following a path costs the
/// length of what precedes it, not of what it leads into.
pub(crate) fn member_start(text: &str, at: usize, name: &str) -> Option<usize> {
    if text.as_bytes().get(at) != Some(&b'{') {
        return None;
    }
    let mut i = at + 1;
    loop {
        let (key, start) = member_head(text, next_item(text, i))?;
        if decode_key(&text[key]) == name {
            return Some(start);
        }
        i = value_end(text, start);
    }
}

/// Where element `index` of the array at `at` begins (see [`member_start`]).
pub(crate) fn element_start(text: &str, at: usize, index: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    // The elements before it are skipped; the one found is not measured.
    let mut i = at + 1;
    for _ in 0..index {
        let start = next_item(text, i);
        if matches!(bytes.get(start), None | Some(b']')) {
            return None;
        }
        i = value_end(text, start);
    }
    let start = next_item(text, i);
    (!matches!(bytes.get(start), None | Some(b']'))).then_some(start)
}

/// The spans of the elements of the array that begins at `at`.
pub(crate) fn elements(text: &str, at: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    std::iter::from_fn(move || {
        let start = next_item(text, i);
        if matches!(bytes.get(start), None | Some(b']')) {
            return None;
        }
        i = value_end(text, start);
        Some(start..i)
    })
}

/// Refuses nesting deeper than [`MAX_DEPTH`] (counted from this value): the
/// message names the path of the container too deep, the way
/// [`crate::ParseError`] folds nested paths.
fn check_depth(text: &str) -> Result<(), String> {
    use super::object::{NESTED_PREFIX, NESTED_SUFFIX};
    match too_deep(text, MAX_DEPTH) {
        None => Ok(()),
        Some((path, _)) if path.is_empty() => Err(DEPTH_MESSAGE.to_owned()),
        Some((path, _)) => Err(format!(
            "{NESTED_PREFIX}{path}{NESTED_SUFFIX}{DEPTH_MESSAGE}"
        )),
    }
}

/// What serde_json says of nesting past its limit.
pub(crate) const DEPTH_MESSAGE: &str = "recursion limit exceeded";

/// The path (as `serde_path_to_error` writes it) and byte offset of the
/// first container nested more than `limit` deep in `text`, found in one
/// pass without recursion.
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<(String, usize)> {
    /// Where the scan is inside one container: an array's index, or the
    /// name of the object member being read (`None` before a name).
    enum At<'t> {
        Index(usize),
        Member(Option<&'t str>),
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<At> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(text, i);
                if let Some(At::Member(name @ None)) = stack.last_mut() {
                    *name = text.get(i + 1..end.saturating_sub(1).max(i + 1));
                }
                i = end;
                continue;
            }
            open @ (b'{' | b'[') => {
                if stack.len() == limit {
                    let mut path = String::new();
                    for at in &stack {
                        match at {
                            At::Index(k) => {
                                let _ = fmt::Write::write_fmt(&mut path, format_args!("[{k}]"));
                            }
                            At::Member(name) => {
                                if !path.is_empty() {
                                    path.push('.');
                                }
                                path.push_str(&decode_key(name.unwrap_or("?")));
                            }
                        }
                    }
                    return Some((path, i));
                }
                stack.push(if open == b'{' {
                    At::Member(None)
                } else {
                    At::Index(0)
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(At::Index(k)) => *k += 1,
                Some(At::Member(name)) => *name = None,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// See [`RawJson::duplicate_members`]; walks with an explicit stack.
pub(crate) fn duplicate_members(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    // (span start, pointer) of each container still to visit.
    let mut stack = vec![(value_start(text), String::new())];
    while let Some((at, pointer)) = stack.pop() {
        match text.as_bytes().get(at) {
            Some(b'{') => {
                let mut seen: Vec<Cow<str>> = Vec::new();
                let mut sorted: Option<std::collections::HashSet<Cow<str>>> = None;
                for member in members(text, at) {
                    let name = decode_key(&text[member.key.clone()]);
                    let mut here = pointer.clone();
                    push_token(&mut here, &name);
                    let repeated = match &mut sorted {
                        Some(set) => !set.insert(name.clone()),
                        None => {
                            let repeated = seen.contains(&name);
                            seen.push(name.clone());
                            if seen.len() > 16 {
                                sorted = Some(seen.drain(..).collect());
                            }
                            repeated
                        }
                    };
                    if repeated {
                        found.push(here.clone());
                    }
                    if matches!(text.as_bytes().get(member.value.start), Some(b'{' | b'[')) {
                        stack.push((member.value.start, here));
                    }
                }
            }
            Some(b'[') => {
                for (i, element) in elements(text, at).enumerate() {
                    if matches!(text.as_bytes().get(element.start), Some(b'{' | b'[')) {
                        let mut here = pointer.clone();
                        push_token(&mut here, &i.to_string());
                        stack.push((element.start, here));
                    }
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_kept_byte_for_byte() {
        let text = r#"{"k":1,"k":2,"n":0.000000000000000000001e5,"big":1e400, "z":-0}"#;
        let raw: RawObject = serde_json::from_str(text).unwrap();
        assert_eq!(raw.get(), text);
        let spaced: RawObject = serde_json::from_str(&text.replace(',', " ,\n ")).unwrap();
        assert_eq!(raw, spaced, "whitespace between tokens does not count");
        let other: RawObject = serde_json::from_str(&text.replace("-0", "0")).unwrap();
        assert_ne!(raw, other);
        let reordered: RawJson = serde_json::from_str(r#"{"b":[1,{"d":2,"c":1}],"a":0}"#).unwrap();
        let ordered: RawJson = serde_json::from_str(r#"{"a":0,"b":[1,{"c":1,"d":2}]}"#).unwrap();
        assert_eq!(reordered, ordered);
        let one: RawJson = serde_json::from_str(r#"{"a":0}"#).unwrap();
        let twice: RawJson = serde_json::from_str(r#"{"a":0,"a":0}"#).unwrap();
        assert_ne!(one, twice);
        let in_string: RawJson = serde_json::from_str(r#""a b""#).unwrap();
        assert_ne!(
            in_string,
            serde_json::from_str::<RawJson>(r#""ab""#).unwrap()
        );
        assert_eq!(
            in_string,
            serde_json::from_str::<RawJson>(r#""a\u0020b""#).unwrap()
        );
        assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        assert_eq!(raw.duplicate_members(), ["/k"]);
        assert!(raw.to_map().is_err(), "1e400 is no f64");
        assert_eq!(raw.get_member("z"), Some(Value::from(-0.0)));
    }

    #[test]
    fn duplicates_are_found_at_every_depth_with_their_pointers() {
        let raw: RawJson =
            serde_json::from_str(r#"[{"a":{"b":1,"b":2}},{"c":[{"d~/":0,"d~/":0}]}]"#).unwrap();
        assert_eq!(raw.duplicate_members(), ["/0/a/b", "/1/c/0/d~0~1"]);
        // Escapes name the same member.
        let raw: RawJson = serde_json::from_str(r#"{"a":1,"\u0061":2}"#).unwrap();
        assert_eq!(raw.duplicate_members(), ["/a"]);
    }

    #[test]
    fn non_objects_and_deep_nesting_are_refused() {
        let err = serde_json::from_str::<RawObject>("[1]").unwrap_err();
        assert!(err.to_string().contains("expected a JSON object"), "{err}");
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = RawJson::from_string(deep.clone()).unwrap_err();
        let path = "[0]".repeat(MAX_DEPTH);
        assert!(
            err.to_string()
                .starts_with(&format!("at `{path}`: recursion limit exceeded")),
            "{err}"
        );
        let deep = format!(r#"{{"a":[1,{{"b":{deep}}}]}}"#);
        let err = RawJson::from_string(deep).unwrap_err();
        let path = format!("a[1].b{}", "[0]".repeat(MAX_DEPTH - 3));
        assert!(
            err.to_string()
                .starts_with(&format!("at `{path}`: recursion limit exceeded")),
            "{err}"
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(RawJson::from_string(ok).is_ok());
        assert_eq!(too_deep(r#"{"a":[[]]}"#, 2), Some(("a[0]".to_owned(), 6)));
        assert_eq!(too_deep(r#"{"a":[[]]}"#, 3), None);
    }

    #[test]
    fn spans_find_members_and_elements() {
        let text = r#" { "a" : [1, "x,]}", {"b":null}] , "c\"d":"}" } "#;
        let at = value_start(text);
        let found: Vec<_> = members(text, at)
            .map(|m| (&text[m.key], &text[m.value]))
            .collect();
        assert_eq!(
            found,
            [("a", r#"[1, "x,]}", {"b":null}]"#), (r#"c\"d"#, r#""}""#)]
        );
        let array = r#"[1, "x,]}", {"b":null}]"#;
        let items: Vec<_> = elements(array, 0).map(|r| &array[r]).collect();
        assert_eq!(items, ["1", r#""x,]}""#, r#"{"b":null}"#]);
    }
}
