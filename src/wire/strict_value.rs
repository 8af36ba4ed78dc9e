//! JSON values read with duplicate member names refused.
//!
//! The catch-all of an event family (a `type` the model does not know)
//! keeps the frame's members as `serde_json::Value`s. `Value`'s own reader
//! keeps the last of two same-named members without a word; the catch-all
//! reads through this instead and refuses them, as the typed events refuse a
//! repeated member. (Everything else the model does not type is kept as its
//! text: see [`super::raw`].)
//!
//! The reader is one visitor over any [`JsonTree`], which decides only how
//! an object's members are gathered: the fuzzing mutator's tree reads
//! through it too, keeping duplicates in order.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::Key;

/// A JSON leaf, as every tree built by [`TreeVisitor`] receives it (a
/// non-finite float, which JSON text cannot spell, arrives as `Null`).
pub(crate) enum Scalar {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
}

/// A JSON document type read by [`TreeVisitor`]: how it holds a leaf and an
/// array, and how it gathers an object's members (which decides what a
/// repeated member name does).
pub(crate) trait JsonTree: Sized + for<'de> Deserialize<'de> {
    /// A leaf.
    fn scalar(value: Scalar) -> Self;
    /// An array of the items read, in order.
    fn array(items: Vec<Self>) -> Self;
    /// An object, its members read from `map`.
    fn object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads any JSON value into the tree `T`.
pub(crate) struct TreeVisitor<T>(PhantomData<T>);

impl<T> TreeVisitor<T> {
    pub(crate) const fn new() -> Self {
        TreeVisitor(PhantomData)
    }
}

impl<'de, T: JsonTree> Visitor<'de> for TreeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::scalar(Scalar::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::scalar(Scalar::Number(v.into())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::scalar(Scalar::Number(v.into())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::scalar(
            Number::from_f64(v).map_or(Scalar::Null, Scalar::Number),
        ))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::scalar(Scalar::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::scalar(Scalar::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::scalar(Scalar::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::scalar(Scalar::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(T::array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::object(map)
    }
}

/// A `serde_json::Value` whose objects had no duplicate member names.
pub(crate) struct StrictValue(pub Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor::new())
    }
}

impl JsonTree for StrictValue {
    fn scalar(value: Scalar) -> Self {
        StrictValue(match value {
            Scalar::Null => Value::Null,
            Scalar::Bool(v) => Value::Bool(v),
            Scalar::Number(v) => Value::Number(v),
            Scalar::String(v) => Value::String(v),
        })
    }

    fn array(items: Vec<Self>) -> Self {
        StrictValue(Value::Array(items.into_iter().map(|item| item.0).collect()))
    }

    fn object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if members.contains_key(key.as_str()) {
                return Err(duplicate(key.as_str()));
            }
            let StrictValue(value) = map.next_value()?;
            members.insert(key.0.into_owned(), value);
        }
        Ok(StrictValue(Value::Object(members)))
    }
}

/// The error for a member name seen twice in one object.
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_at_any_depth() {
        let ok: StrictValue = serde_json::from_str(r#"{"a":[{"b":1,"c":2}],"d":null}"#).unwrap();
        assert_eq!(ok.0["a"][0]["c"], 2);
        for text in [
            r#"{"a":1,"a":2}"#,
            r#"{"x":[{"b":1,"b":1}]}"#,
            r#"[{"q":{"r":0,"r":0}}]"#,
        ] {
            let err = serde_json::from_str::<StrictValue>(text).err().unwrap();
            assert!(err.to_string().starts_with("duplicate field"), "{err}");
        }
    }
}
