//! Plain objects: `wire_object!` declares a struct whose members stream into
//! typed slots, with unknown members kept (`open`) or rejected (`closed`).
//!
//! Field kinds:
//! - `req`: required; `null` is a type error.
//! - `opt`: optional; an explicit `null` is read as absent. The spec does not
//!   allow `null` there, but real clients send it (`"event_id": null`), so the
//!   model accepts it and normalizes it away; the checker reports it.
//! - `null`: optional and nullable; absent, `null` and a value stay apart.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{Key, ObjectBuilder};

/// Drives an [`ObjectBuilder`] over the members of a JSON object.
pub(crate) struct ObjectVisitor<B> {
    expecting: &'static str,
    builder: PhantomData<B>,
}

impl<B> ObjectVisitor<B> {
    pub(crate) const fn new(expecting: &'static str) -> Self {
        ObjectVisitor {
            expecting,
            builder: PhantomData,
        }
    }
}

impl<'de, B: ObjectBuilder + Default> Visitor<'de> for ObjectVisitor<B> {
    type Value = B::Output;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut builder = B::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            builder.member(key.as_str(), &mut map)?;
        }
        builder.finish()
    }
}

/// Marks a message whose path is relative to the member that failed; see
/// [`crate::ParseError`], which folds it into the error's path.
pub(crate) const NESTED_PREFIX: &str = "at `";
pub(crate) const NESTED_SUFFIX: &str = "`: ";

/// Deserializes a buffered member value.
///
/// The value was kept as its text, so the outer path tracker cannot see
/// inside it; the path below `key` is carried in the message as
/// ``at `key.inner.path`: message`` and joined back by `ParseError`.
pub(crate) fn from_buffered<T: DeserializeOwned, E: de::Error>(
    key: &str,
    value: &RawValue,
) -> Result<T, E> {
    let mut de = serde_json::Deserializer::from_str(value.get());
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let inner = err.path().to_string();
        let message = err.into_inner().to_string();
        let (deeper, message) = split_nested(&message);
        let mut path = String::from(key);
        for segment in [inner.as_str(), deeper] {
            join_path(&mut path, segment);
        }
        E::custom(format_args!(
            "{NESTED_PREFIX}{path}{NESTED_SUFFIX}{message}"
        ))
    })
}

/// Splits ``at `p`: m`` into `("p", "m")`; other messages into `("", m)`.
pub(crate) fn split_nested(message: &str) -> (&str, &str) {
    if let Some(rest) = message.strip_prefix(NESTED_PREFIX) {
        if let Some(end) = rest.find(NESTED_SUFFIX) {
            return (&rest[..end], &rest[end + NESTED_SUFFIX.len()..]);
        }
    }
    ("", message)
}

/// Appends a path segment as `serde_path_to_error` writes them
/// (`a.b`, `a[0]`); `.` and empty segments mean "here".
pub(crate) fn join_path(path: &mut String, segment: &str) {
    // `?` is serde_path_to_error's mark for "inside a key or unknown":
    // the enclosing path is the most precise one there is.
    let segment = segment.trim_end_matches(".?").trim_end_matches('?');
    if segment.is_empty() || segment == "." {
        return;
    }
    if !path.is_empty() && !segment.starts_with('[') {
        path.push('.');
    }
    path.push_str(segment);
}

/// The Rust type of a struct field of the given kind.
macro_rules! wire_field_type {
    (req $ty:ty) => { $ty };
    (opt $ty:ty) => { ::core::option::Option<$ty> };
    (null $ty:ty) => { ::core::option::Option<$crate::wire::Nullable<$ty>> };
}

/// The type a member value is read as, for the given kind.
macro_rules! wire_read_type {
    (req $ty:ty) => { $ty };
    (opt $ty:ty) => { ::core::option::Option<$ty> };
    (null $ty:ty) => { $crate::wire::Nullable<$ty> };
}

/// Turns a builder slot into the field value.
macro_rules! wire_finish_field {
    (req $slot:expr, $name:expr) => {
        match $slot {
            Some(v) => v,
            None => return Err(::serde::de::Error::missing_field($name)),
        }
    };
    (opt $slot:expr, $name:expr) => {
        $slot.flatten()
    };
    (null $slot:expr, $name:expr) => {
        $slot
    };
}

/// Writes one field into a `SerializeMap`.
macro_rules! wire_write_field {
    (req $map:expr, $name:expr, $value:expr) => {
        ::serde::ser::SerializeMap::serialize_entry($map, $name, $value)?;
    };
    (opt $map:expr, $name:expr, $value:expr) => {
        if let Some(v) = $value {
            ::serde::ser::SerializeMap::serialize_entry($map, $name, v)?;
        }
    };
    (null $map:expr, $name:expr, $value:expr) => {
        if let Some(v) = $value {
            ::serde::ser::SerializeMap::serialize_entry($map, $name, v)?;
        }
    };
}

/// Serialize and Deserialize for a [`super::WireObject`] whose builder is `$builder`.
macro_rules! wire_object_serde {
    ($name:ident, $builder:ident, $expecting:expr) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                self.write_members(&mut map)?;
                ::serde::ser::SerializeMap::end(map)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_map($crate::wire::ObjectVisitor::<$builder>::new($expecting))
            }
        }
    };
}

/// Declares a struct modelled as one JSON object; see the module docs.
macro_rules! wire_object {
    (
        $(#[$attr:meta])*
        pub struct $name:ident : $expecting:expr, open {
            $( $(#[$fattr:meta])* $kind:ident $field:ident : $ty:ty $(=> $shape:expr)? ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name {
            $( $(#[$fattr])* pub $field: wire_field_type!($kind $ty), )*
            /// Members the spec does not name, kept in arrival order and re-emitted.
            pub extra: $crate::wire::ExtraMembers,
        }
        wire_object!(@impl $name, $expecting, open, [ $( $kind $field : $ty => ($($shape)?) ),* ]);
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident : $expecting:expr, closed {
            $( $(#[$fattr:meta])* $kind:ident $field:ident : $ty:ty $(=> $shape:expr)? ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name {
            $( $(#[$fattr])* pub $field: wire_field_type!($kind $ty), )*
        }
        wire_object!(@impl $name, $expecting, closed, [ $( $kind $field : $ty => ($($shape)?) ),* ]);
    };

    // The duplicate check comes before the value is read, so that the
    // error points at the repeated name rather than past the value.
    (@unknown open, $self:ident, $key:ident, $value:expr) => {{
        $self.extra.begin($key)?;
        let value = $value;
        $self.extra.end(::core::convert::AsRef::<str>::as_ref(&value));
        Ok(())
    }};
    (@unknown closed, $self:ident, $key:ident, $value:expr) => {
        Err(::serde::de::Error::unknown_field($key, FIELDS_OF))
    };
    (@build open, $name:ident, $self:ident, { $( $field:ident : $value:expr ),* }) => {
        $name { $( $field: $value, )* extra: $self.extra.finished()? }
    };
    (@build closed, $name:ident, $self:ident, { $( $field:ident : $value:expr ),* }) => {
        $name { $( $field: $value, )* }
    };
    (@write_extra open, $self:ident, $map:ident) => {
        for (k, v) in $self.extra.iter() {
            ::serde::ser::SerializeMap::serialize_entry($map, &*k, v)?;
        }
    };
    (@write_extra closed, $self:ident, $map:ident) => {};

    (@shape $ty:ty, ()) => { <$ty as $crate::wire::shape::Describe>::shape() };
    (@shape $ty:ty, ($shape:expr)) => { $shape };
    (@open open) => { true };
    (@open closed) => { false };

    (@impl $name:ident, $expecting:expr, $mode:ident, [ $( $kind:ident $field:ident : $ty:ty => ($($shape:expr)?) ),* ]) => {
        const _: () = {
            use $crate::wire::{wire_name, ObjectBuilder, WireObject};

            #[allow(dead_code)]
            const FIELDS_OF: &[&str] = &[ $( wire_name(stringify!($field)) ),* ];

            #[derive(Default)]
            #[allow(non_camel_case_types)]
            pub struct Builder {
                $( $field: ::core::option::Option<wire_read_type!($kind $ty)>, )*
                #[allow(dead_code)]
                extra: $crate::wire::ExtraMembers,
            }

            impl ObjectBuilder for Builder {
                type Output = $name;

                #[allow(unused_variables)]
                fn member<'de, A: ::serde::de::MapAccess<'de>>(
                    &mut self,
                    key: &str,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    $(
                        {
                            const N: &str = wire_name(stringify!($field));
                            if key == N {
                                if self.$field.is_some() {
                                    return Err(::serde::de::Error::duplicate_field(N));
                                }
                                self.$field = Some(map.next_value::<wire_read_type!($kind $ty)>()?);
                                return Ok(());
                            }
                        }
                    )*
                    wire_object!(@unknown $mode, self, key, map.next_value::<$crate::wire::RawJson>()?)
                }

                #[allow(unused_variables)]
                fn member_value<E: ::serde::de::Error>(
                    &mut self,
                    key: &str,
                    value: &::serde_json::value::RawValue,
                ) -> Result<(), E> {
                    $(
                        {
                            const N: &str = wire_name(stringify!($field));
                            if key == N {
                                if self.$field.is_some() {
                                    return Err(::serde::de::Error::duplicate_field(N));
                                }
                                self.$field = Some($crate::wire::from_buffered::<wire_read_type!($kind $ty), E>(N, value)?);
                                return Ok(());
                            }
                        }
                    )*
                    wire_object!(@unknown $mode, self, key, value.get())
                }

                fn finish<E: ::serde::de::Error>(self) -> Result<$name, E> {
                    Ok(wire_object!(@build $mode, $name, self, {
                        $( $field: wire_finish_field!($kind self.$field, wire_name(stringify!($field))) ),*
                    }))
                }
            }

            impl WireObject for $name {
                type Builder = Builder;
                const EXPECTING: &'static str = $expecting;

                fn write_members<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                    $( wire_write_field!($kind map, wire_name(stringify!($field)), &self.$field); )*
                    wire_object!(@write_extra $mode, self, map);
                    Ok(())
                }
            }

            wire_object_serde!($name, Builder, $expecting);

            impl $crate::wire::shape::Describe for $name {
                fn shape() -> $crate::wire::shape::Shape {
                    $crate::wire::shape::Shape::Object($crate::wire::shape::ObjectShape {
                        name: $expecting,
                        open: wire_object!(@open $mode),
                        members: vec![ $(
                            $crate::wire::shape::MemberShape {
                                name: wire_name(stringify!($field)),
                                required: stringify!($kind).as_bytes()[0] == b'r',
                                nullable: stringify!($kind).as_bytes()[0] == b'n',
                                shape: wire_object!(@shape $ty, ($($shape)?)),
                            },
                        )* ],
                    })
                }
            }
        };
    };
}
