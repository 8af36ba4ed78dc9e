//! Members the model does not know, kept and re-emitted.
//!
//! Nearly every object schema of the spec leaves `additionalProperties` open,
//! so a frame with an extra member is still spec-valid. A proxy built on this
//! model must forward such a frame unchanged, so unknown members are kept in
//! order and serialized back after the known ones. The conformance checker
//! reports them; the model does not drop or reject them. The few schemas that
//! close their members (`additionalProperties: false`) reject unknown ones.

use serde_json::{Map, Value};

/// Unknown members of one JSON object, in the order they arrived.
///
/// Boxed and optional so that the common case (none) costs one pointer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtraMembers(Option<Box<Map<String, Value>>>);

impl ExtraMembers {
    /// No unknown members.
    pub const fn new() -> Self {
        ExtraMembers(None)
    }

    /// True when there are no unknown members.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    /// Number of unknown members.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.len())
    }

    /// The unknown members, if any.
    pub fn as_map(&self) -> Option<&Map<String, Value>> {
        self.0.as_deref()
    }

    /// Iterates over the unknown members in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().flat_map(|m| m.iter())
    }

    /// Adds a member; returns false (and changes nothing) when the name is
    /// already present, so that callers can report the duplicate.
    pub fn insert(&mut self, name: String, value: Value) -> bool {
        let map = self.0.get_or_insert_with(Default::default);
        if map.contains_key(&name) {
            return false;
        }
        map.insert(name, value);
        true
    }

    /// Looks up one unknown member.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.as_ref().and_then(|m| m.get(name))
    }
}

impl From<Map<String, Value>> for ExtraMembers {
    fn from(map: Map<String, Value>) -> Self {
        if map.is_empty() {
            ExtraMembers(None)
        } else {
            ExtraMembers(Some(Box::new(map)))
        }
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
        let mut map = Map::new();
        for i in 0..u.int_in_range(1..=2u8)? {
            map.insert(
                format!("x-harness-{i}"),
                crate::wire::arb::json_value(u, 2)?,
            );
        }
        Ok(ExtraMembers::from(map))
    }
}
