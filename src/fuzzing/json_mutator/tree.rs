//! The JSON tree the mutator works on: objects as member lists, so that
//! duplicate keys and member order survive a parse and a write (serde_json's
//! `Value` keeps only the last of duplicate keys).

use serde::de::{Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

use crate::wire::{JsonTree, Scalar, TreeVisitor};

/// A JSON document whose objects are member lists, so that duplicate keys
/// and member order survive a parse and a write.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in order, duplicates allowed.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses one JSON document (serde_json's syntax and nesting limit).
    pub fn parse(bytes: &[u8]) -> Option<Json> {
        serde_json::from_slice(bytes).ok()
    }

    /// Compact JSON text.
    pub fn to_vec(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("JSON trees serialize")
    }

    /// The JSON type, as an index: null, bool, number, string, array, object.
    pub(super) fn kind(&self) -> usize {
        match self {
            Json::Null => 0,
            Json::Bool(_) => 1,
            Json::Number(_) => 2,
            Json::String(_) => 3,
            Json::Array(_) => 4,
            Json::Object(_) => 5,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Number of nodes (this one included) that satisfy `pred`.
    pub(super) fn count(&self, pred: fn(&Json) -> bool) -> usize {
        let here = usize::from(pred(self));
        here + match self {
            Json::Array(items) => items.iter().map(|v| v.count(pred)).sum(),
            Json::Object(members) => members.iter().map(|(_, v)| v.count(pred)).sum(),
            _ => 0,
        }
    }

    /// Pre-order approximate size of the text, to keep growth bounded.
    pub(super) fn weight(&self) -> usize {
        match self {
            Json::Null | Json::Bool(_) => 5,
            Json::Number(_) => 12,
            Json::String(s) => s.len() + 2,
            Json::Array(items) => 2 + items.iter().map(|v| v.weight() + 1).sum::<usize>(),
            Json::Object(members) => {
                2 + members
                    .iter()
                    .map(|(k, v)| k.len() + 4 + v.weight())
                    .sum::<usize>()
            }
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor::new())
    }
}

impl JsonTree for Json {
    fn scalar(value: Scalar) -> Self {
        match value {
            Scalar::Null => Json::Null,
            Scalar::Bool(v) => Json::Bool(v),
            Scalar::Number(v) => Json::Number(v),
            Scalar::String(v) => Json::String(v),
        }
    }

    fn array(items: Vec<Self>) -> Self {
        Json::Array(items)
    }

    fn object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            members.push((k, v));
        }
        Ok(Json::Object(members))
    }
}

// Node predicates, for `Json::count` and the node pickers.
pub(super) fn any_node(_: &Json) -> bool {
    true
}
pub(super) fn is_object(j: &Json) -> bool {
    matches!(j, Json::Object(_))
}
pub(super) fn is_nonempty_object(j: &Json) -> bool {
    matches!(j, Json::Object(m) if !m.is_empty())
}
pub(super) fn is_array(j: &Json) -> bool {
    matches!(j, Json::Array(_))
}
pub(super) fn is_string(j: &Json) -> bool {
    matches!(j, Json::String(_))
}
pub(super) fn is_scalar(j: &Json) -> bool {
    !matches!(j, Json::Array(_) | Json::Object(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_keeps_duplicates_and_order() {
        let text = br#"{"b":1,"a":[true,null,"x"],"b":2.5}"#;
        let tree = Json::parse(text).expect("JSON");
        assert_eq!(tree.to_vec(), text.to_vec());
    }
}
