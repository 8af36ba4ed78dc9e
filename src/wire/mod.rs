//! The machinery shared by every model type: streaming object builders,
//! internally tagged unions whose tag may come at any position, values told
//! apart by their JSON type, and the declarative macros that generate them.
//!
//! serde's derive cannot do what the spec needs here: internally tagged enums
//! buffer the whole object (losing line/column in errors), `flatten` for
//! unknown members does the same, and derived structs cannot tell an absent
//! member from an explicit `null`. The builders below stream members straight
//! into typed slots when the tag comes first (the common case) and buffer only
//! the members that precede a late tag.

#[cfg(feature = "arbitrary")]
pub mod arb;
mod extra;
mod key;
mod list;
pub(crate) mod locate;
mod nullable;
pub mod raw;
pub mod shape;
mod strict_value;
#[macro_use]
pub(crate) mod object;
#[macro_use]
mod union;
#[macro_use]
mod enumeration;
#[macro_use]
pub(crate) mod family;
#[macro_use]
pub(crate) mod one_of;

pub use extra::ExtraMembers;
pub use list::List;
pub use nullable::Nullable;
pub use raw::{RawJson, RawObject};

pub(crate) use key::Key;
pub(crate) use object::{from_buffered, ObjectVisitor};
pub(crate) use strict_value::{duplicate, JsonTree, Scalar, StrictValue, TreeVisitor};
pub(crate) use union::{KnownTag, OptionalTag, Tag};
pub use union::{Tagged, Variants};

use serde::de::{self, MapAccess};
use serde::ser::SerializeMap;
use serde_json::value::RawValue;

/// Collects the members of one JSON object into a typed value.
pub trait ObjectBuilder: Sized {
    /// The value built.
    type Output;

    /// Takes one member whose value is still in the deserializer.
    fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;

    /// Takes one member whose value was buffered as its text (it preceded
    /// a union tag).
    fn member_value<E: de::Error>(&mut self, key: &str, value: &RawValue) -> Result<(), E>;

    /// Checks required members and returns the value.
    fn finish<E: de::Error>(self) -> Result<Self::Output, E>;
}

/// A model type that is one JSON object.
pub trait WireObject: Sized {
    /// Its builder.
    type Builder: ObjectBuilder<Output = Self> + Default;

    /// What the object is, for "expected ..." messages.
    const EXPECTING: &'static str;

    /// Writes the object's members (without the braces) into `map`; unions
    /// write their tag first.
    fn write_members<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// The wire name of a field: the Rust identifier without a raw prefix.
pub(crate) const fn wire_name(ident: &'static str) -> &'static str {
    let bytes = ident.as_bytes();
    if bytes.len() > 2 && bytes[0] == b'r' && bytes[1] == b'#' {
        let (_, rest) = bytes.split_at(2);
        match core::str::from_utf8(rest) {
            Ok(s) => s,
            Err(_) => panic!("field name is not UTF-8"),
        }
    } else {
        ident
    }
}

/// Builds a boxed object: large union payloads are boxed to keep enums small.
#[derive(Default)]
pub struct BoxedBuilder<B>(B);

impl<B: ObjectBuilder> ObjectBuilder for BoxedBuilder<B> {
    type Output = Box<B::Output>;

    fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        self.0.member(key, map)
    }

    fn member_value<E: de::Error>(&mut self, key: &str, value: &RawValue) -> Result<(), E> {
        self.0.member_value(key, value)
    }

    fn finish<E: de::Error>(self) -> Result<Self::Output, E> {
        self.0.finish().map(Box::new)
    }
}

impl<T: WireObject> WireObject for Box<T> {
    type Builder = BoxedBuilder<T::Builder>;
    const EXPECTING: &'static str = T::EXPECTING;

    fn write_members<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        (**self).write_members(map)
    }
}
