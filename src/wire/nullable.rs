//! Tri-state members: the spec gives `null` a meaning of its own on some
//! members (`turn_detection`, `tracing`, `noise_reduction`, `transcription`,
//! and every `anyOf [..., {"type": "null"}]`), so the model keeps absent
//! (`None`), `null` (`Some(Nullable::Null)`) and a value apart.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

/// A member value that may be an explicit JSON `null`.
///
/// Used as `Option<Nullable<T>>`: `None` is "member absent" (keep the server's
/// current setting), `Some(Nullable::Null)` is `"member": null` (turn the
/// feature off, per the spec's descriptions), `Some(Nullable::Value(v))` sets it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Nullable<T> {
    /// The member was sent as `null`.
    Null,
    /// The member carries a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, or `None` for `null`.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(v) => Some(v),
        }
    }

    /// True for an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `Option` maps JSON null to `None` without consuming anything else,
        // which is exactly the distinction needed here.
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Nullable::Null,
            Some(v) => Nullable::Value(v),
        })
    }
}
