//! Members the model does not know, kept as written and re-emitted.
//!
//! Nearly every object schema of the spec leaves `additionalProperties` open,
//! so a frame with an extra member is still spec-valid. A proxy built on this
//! model must forward such a frame unchanged, so unknown members are kept in
//! order, their values as their exact text (no rounded number, no lost
//! duplicate inside a value: see [`crate::RawJson`]), and serialized back
//! after the known ones. The conformance checker reports them; the model
//! does not drop or reject them. The few schemas that close their members
//! (`additionalProperties: false`) reject unknown ones.
//!
//! All unknown members of one object share one text buffer, `{"a":1,"b":2`
//! (no closing brace), rather than a map of `Value`s: a frame of a million
//! twelve-byte members then costs about its own size, not sixty times it.

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::raw::{decode_key, members, Member};

/// Below this many members, a repeated name is found as it arrives (the
/// error points at it); above, the names' hashes are sorted once when the
/// object ends, so that the check stays linear in the number of members.
const EAGER_DUPLICATE_CHECK: usize = 16;

/// Unknown members of one JSON object, in the order they arrived.
///
/// Boxed and optional so that the common case (none) costs one pointer.
#[derive(Clone, Default)]
pub struct ExtraMembers(Option<Box<Members>>);

#[derive(Clone, Default)]
struct Members {
    /// `{` and the members as `"name":value`, comma-separated; names are
    /// written by serde_json (escapes normalized), values as received.
    text: String,
    len: usize,
    /// The name hashes, while the object is being read.
    hashes: Vec<u64>,
}

fn hash_of(name: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    name.hash(&mut hasher);
    hasher.finish()
}

impl ExtraMembers {
    /// No unknown members.
    pub const fn new() -> Self {
        ExtraMembers(None)
    }

    /// True when there are no unknown members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of unknown members.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.len)
    }

    fn spans(&self) -> impl Iterator<Item = (&str, Member)> {
        self.0
            .iter()
            .flat_map(|m| members(&m.text, 0).map(move |member| (m.text.as_str(), member)))
    }

    /// Iterates over the unknown members in arrival order: the name and the
    /// value's exact text.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, &RawValue)> {
        self.spans().map(|(text, m)| {
            let value: &RawValue =
                serde_json::from_str(&text[m.value]).expect("the value was JSON when it was kept");
            (decode_key(&text[m.key]), value)
        })
    }

    /// Looks up one unknown member's text.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// One unknown member as a `serde_json::Value` (see
    /// [`crate::RawJson::to_value`] for what a `Value` cannot hold).
    pub fn get_value(&self, name: &str) -> Option<Value> {
        serde_json::from_str(self.get(name)?.get()).ok()
    }

    /// One unknown member's value, when it is a JSON string: lent as
    /// written when it has no escapes, else decoded (`None` for an unpaired
    /// surrogate escape, which no Rust string holds).
    pub fn get_str(&self, name: &str) -> Option<Cow<'_, str>> {
        let text = self.get(name)?.get();
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains('\\') {
            serde_json::from_str::<String>(text).ok().map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(inner))
        }
    }

    /// The unknown members as a `serde_json::Map` (of two same-named
    /// members inside a value it keeps the last; see [`crate::RawJson::to_value`]).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .filter_map(|(k, v)| Some((k.into_owned(), serde_json::from_str(v.get()).ok()?)))
            .collect()
    }

    /// Adds a member; returns false (and changes nothing) when the name is
    /// already present, so that callers can report the duplicate.
    pub fn insert(&mut self, name: String, value: Value) -> bool {
        if self.get(&name).is_some() {
            return false;
        }
        let text = serde_json::to_string(&value).expect("a Value always serializes");
        self.push_name(&name);
        self.push_value(&text);
        true
    }

    /// Starts a member read from a frame: false when `name` came before in
    /// this object (found now for small objects, else by [`Self::finished`]).
    pub(crate) fn begin<E: de::Error>(&mut self, name: &str) -> Result<(), E> {
        let hash = hash_of(name);
        let seen = self
            .0
            .as_ref()
            .is_some_and(|m| m.len < EAGER_DUPLICATE_CHECK && m.hashes.contains(&hash));
        if seen && self.get(name).is_some() {
            return Err(super::duplicate(name));
        }
        self.0
            .get_or_insert_with(Default::default)
            .hashes
            .push(hash);
        self.push_name(name);
        Ok(())
    }

    /// Ends the member [`Self::begin`] started with its value's text.
    pub(crate) fn end(&mut self, value: &str) {
        self.push_value(value);
    }

    fn push_name(&mut self, name: &str) {
        let members = self.0.get_or_insert_with(Default::default);
        members.text.push(if members.len == 0 { '{' } else { ',' });
        let quoted = serde_json::to_string(name).expect("a string always serializes");
        members.text.push_str(&quoted);
        members.text.push(':');
        members.len += 1;
    }

    fn push_value(&mut self, value: &str) {
        if let Some(members) = &mut self.0 {
            members.text.push_str(value.trim());
        }
    }

    /// The members once their object has ended: checks for a repeated name
    /// among large objects and frees the check's memory.
    pub(crate) fn finished<E: de::Error>(mut self) -> Result<Self, E> {
        let Some(members) = &mut self.0 else {
            return Ok(self);
        };
        let mut hashes = std::mem::take(&mut members.hashes);
        if members.len >= EAGER_DUPLICATE_CHECK {
            hashes.sort_unstable();
            let repeated: Vec<u64> = hashes
                .windows(2)
                .filter(|w| w[0] == w[1])
                .map(|w| w[0])
                .collect();
            drop(hashes);
            if !repeated.is_empty() {
                let mut seen: Vec<Cow<str>> = Vec::new();
                for (name, _) in self.iter() {
                    if repeated.contains(&hash_of(&name)) {
                        if seen.contains(&name) {
                            return Err(super::duplicate(&name));
                        }
                        seen.push(name);
                    }
                }
            }
        }
        if let Some(members) = &mut self.0 {
            members.text.shrink_to_fit();
        }
        Ok(self)
    }
}

/// Equal when both hold the same members, in any order (as two JSON
/// objects are), each value the same JSON value ([`crate::RawJson`]'s equality).
impl PartialEq for ExtraMembers {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if let (Some(a), Some(b)) = (&self.0, &other.0) {
            if a.text == b.text {
                return true;
            }
        }
        fn sorted(extra: &ExtraMembers) -> Vec<(Cow<'_, str>, &str)> {
            let mut members: Vec<(Cow<str>, &str)> =
                extra.iter().map(|(k, v)| (k, v.get())).collect();
            members.sort_by(|x, y| x.0.cmp(&y.0));
            members
        }
        let (a, b) = (sorted(self), sorted(other));
        a.iter()
            .zip(&b)
            .all(|(x, y)| x.0 == y.0 && super::raw::same_json(x.1, y.1))
    }
}

impl fmt::Debug for ExtraMembers {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.0 {
            Some(m) if m.len > 0 => write!(f, "ExtraMembers({}}})", m.text),
            _ => f.write_str("ExtraMembers({})"),
        }
    }
}

impl From<Map<String, Value>> for ExtraMembers {
    fn from(map: Map<String, Value>) -> Self {
        let mut extra = ExtraMembers::new();
        for (name, value) in map {
            extra.insert(name, value);
        }
        extra
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for ExtraMembers {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // Mostly empty, like real traffic; sometimes a vendor extension. The
        // `x-harness-` prefix can never collide with a spec member name.
        if u.ratio(7u8, 8u8)? {
            return Ok(ExtraMembers::new());
        }
        let mut extra = ExtraMembers::new();
        for i in 0..u.int_in_range(1..=2u8)? {
            extra.insert(
                format!("x-harness-{i}"),
                crate::wire::arb::json_value(u, 2)?,
            );
        }
        Ok(extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(names: &[&str]) -> Result<ExtraMembers, serde_json::Error> {
        let mut extra = ExtraMembers::new();
        for name in names {
            extra.begin::<serde_json::Error>(name)?;
            extra.end("1");
        }
        extra.finished()
    }

    #[test]
    fn values_keep_their_text_and_order() {
        let mut extra = ExtraMembers::new();
        extra.begin::<serde_json::Error>("b\"").unwrap();
        extra.end(r#"{"k":1,"k":0.000000000000000000001e5}"#);
        extra.begin::<serde_json::Error>("a").unwrap();
        extra.end("1e400");
        let extra = extra.finished::<serde_json::Error>().unwrap();
        let found: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| (k.into_owned(), v.get().to_owned()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "b\"".to_owned(),
                    r#"{"k":1,"k":0.000000000000000000001e5}"#.to_owned()
                ),
                ("a".to_owned(), "1e400".to_owned())
            ]
        );
        assert_eq!(extra.len(), 2);
        assert_eq!(extra.get("a").map(RawValue::get), Some("1e400"));
    }

    #[test]
    fn repeated_names_are_refused_in_small_and_large_objects() {
        assert!(read(&["a", "b"]).is_ok());
        assert!(read(&["a", "b", "a"]).is_err());
        let many: Vec<String> = (0..100).map(|i| format!("m{i}")).collect();
        let mut names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(read(&names).is_ok());
        names.push("m3");
        let err = read(&names).unwrap_err();
        assert!(err.to_string().contains("duplicate field `m3`"), "{err}");
    }
}
