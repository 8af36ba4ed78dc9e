//! Values the spec types as a `oneOf`/`anyOf` of different JSON types (a
//! string or an object, an integer or a string, ...): `one_of!` declares
//! the enum, its shape and its serde impls, and picks the variant by the
//! JSON type alone, as the spec does, with one `deserialize_any` visitor.
//!
//! Each branch names the JSON type it reads, in variant order:
//!
//! - `string Variant(T)`: a string read by `T`'s own `Deserialize`: one of
//!   the `VALUES` of a `wire_enum!` (an unknown one is that enum's "unknown
//!   variant" error), or any string for `String`, which then says what it
//!   is (`string Named(String) : "a voice name"`);
//! - `string Variant = Enum::Value`: a unit variant whose wire string is the
//!   single value of `Enum` (a `wire_enum!`), so the name is written once;
//!   `[invalid_value]` after it reports an unknown string as an invalid value
//!   of the whole type instead (where another branch is not an object,
//!   "unknown variant" would hide that, say, an integer is welcome too);
//! - `object Variant(T)`: an object read by `T`'s builder, keeping the
//!   member path and position in errors;
//! - `array Variant(T) : "what"`: an array read by `T`'s `Deserialize`;
//! - `integer Variant(i64) : "what"`: an integer; one above `i64::MAX` is an
//!   invalid value.
//!
//! Any other JSON type is an "invalid type" error. The "expected ..." text
//! is the branches' own words joined by "or": an enum's values quoted, an
//! object's `EXPECTING`, or the `: "what"` of a branch whose type says no
//! more than its JSON type; so it cannot drift from the values.
//!
//! The shape is `Shape::OneOf` of the branches' own shapes; `=> shape` after
//! a branch replaces its shape (an open string's known values). The
//! `Arbitrary` derive is left to the declaration, because one type
//! (`MaxOutputTokens`) writes its own generator.

use std::fmt;

use serde::de::MapAccess;

use super::{ObjectVisitor, WireObject};

/// What one branch accepts, in a `one_of!` value's "expected ..." text.
pub(crate) enum Accepts {
    /// Said in words: "a custom voice object", "an integer".
    Text(&'static str),
    /// One of these strings, each written quoted: `"auto", "disabled"`.
    Values(&'static [&'static str]),
}

/// Writes the branches as one expectation: `"auto", "disabled" or a
/// retention_ratio truncation object`.
pub(crate) fn write_expecting(f: &mut fmt::Formatter, branches: &[Accepts]) -> fmt::Result {
    for (i, branch) in branches.iter().enumerate() {
        if i > 0 {
            f.write_str(if i + 1 == branches.len() {
                " or "
            } else {
                ", "
            })?;
        }
        match branch {
            Accepts::Text(text) => f.write_str(text)?,
            Accepts::Values(values) => {
                for (j, value) in values.iter().enumerate() {
                    if j > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "\"{value}\"")?;
                }
            }
        }
    }
    Ok(())
}

/// Reads an object branch into `T` through its builder, so that errors keep
/// the member path and position.
pub(crate) fn visit_object<'de, T: WireObject, A: MapAccess<'de>>(map: A) -> Result<T, A::Error> {
    serde::de::Visitor::visit_map(ObjectVisitor::<T::Builder>::new(T::EXPECTING), map)
}

/// Declares a value told apart by JSON type; see the module docs.
macro_rules! one_of {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $(
                $(#[$vattr:meta])*
                $kind:ident $variant:ident
                $( ( $(#[$fattr:meta])* $payload:ty ) )?
                $( = $keyword:ident :: $value:ident )?
                $( [$reject:ident] )?
                $( : $what:literal )?
                $( => $shape:expr )?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name {
            $( $(#[$vattr])* $variant $( ( $(#[$fattr])* $payload ) )?, )*
        }

        impl $crate::wire::shape::Describe for $name {
            fn shape() -> $crate::wire::shape::Shape {
                $crate::wire::shape::Shape::OneOf(vec![
                    $( one_of!(@shape [$($shape)?] $( ($payload) )? $( $keyword )?) ),*
                ])
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(
                        one_of!(@pattern $name::$variant, value $(, $payload)?) =>
                            one_of!(@write serializer, value $(, $keyword::$value)?),
                    )*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct OneOfVisitor;
                impl<'de> ::serde::de::Visitor<'de> for OneOfVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        $crate::wire::one_of::write_expecting(f, &[
                            $(
                                one_of!(@accepts [$($what)?] $kind
                                    $( ($payload) )? $( = $keyword )?)
                            ),*
                        ])
                    }

                    $(
                        one_of!(@visit 'de, $name, $kind $variant
                            $( ($payload) )? $( = $keyword::$value )? $( [$reject] )?);
                    )*
                }
                deserializer.deserialize_any(OneOfVisitor)
            }
        }
    };

    (@shape [] ($payload:ty)) => {
        <$payload as $crate::wire::shape::Describe>::shape()
    };
    (@shape [] $keyword:ident) => {
        <$keyword as $crate::wire::shape::Describe>::shape()
    };
    (@shape [$shape:expr] $($branch:tt)*) => {
        $shape
    };

    (@accepts [] string ($payload:ty)) => {
        $crate::wire::one_of::Accepts::Values(<$payload>::VALUES)
    };
    (@accepts [] string = $keyword:ident) => {
        $crate::wire::one_of::Accepts::Values($keyword::VALUES)
    };
    (@accepts [] object ($payload:ty)) => {
        $crate::wire::one_of::Accepts::Text(<$payload as $crate::wire::WireObject>::EXPECTING)
    };
    (@accepts [$what:literal] $($branch:tt)*) => {
        $crate::wire::one_of::Accepts::Text($what)
    };

    // The binding's name comes from the caller so that the arm's body, written
    // there, can see it.
    (@pattern $name:ident :: $variant:ident, $binding:ident) => {
        $name::$variant
    };
    (@pattern $name:ident :: $variant:ident, $binding:ident, $payload:ty) => {
        $name::$variant($binding)
    };

    (@write $serializer:ident, $binding:ident) => {
        ::serde::Serialize::serialize($binding, $serializer)
    };
    (@write $serializer:ident, $binding:ident, $keyword:ident :: $value:ident) => {
        ::serde::Serialize::serialize(&$keyword::$value, $serializer)
    };

    (@visit $de:lifetime, $name:ident, string $variant:ident ($payload:ty)) => {
        fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
            <$payload as ::serde::Deserialize>::deserialize(
                ::serde::de::value::StrDeserializer::<E>::new(v),
            )
            .map($name::$variant)
        }

        fn visit_string<E: ::serde::de::Error>(self, v: String) -> Result<$name, E> {
            <$payload as ::serde::Deserialize>::deserialize(
                ::serde::de::value::StringDeserializer::<E>::new(v),
            )
            .map($name::$variant)
        }
    };
    (@visit $de:lifetime, $name:ident, string $variant:ident = $keyword:ident :: $value:ident) => {
        fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
            // One arm: a keyword enum with a second value does not compile.
            <$keyword as ::serde::Deserialize>::deserialize(
                ::serde::de::value::StrDeserializer::<E>::new(v),
            )
            .map(|keyword| match keyword {
                $keyword::$value => $name::$variant,
            })
        }
    };
    (
        @visit $de:lifetime, $name:ident,
        string $variant:ident = $keyword:ident :: $value:ident [invalid_value]
    ) => {
        fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
            match <$keyword as ::serde::Deserialize>::deserialize(
                ::serde::de::value::StrDeserializer::<E>::new(v),
            ) {
                Ok($keyword::$value) => Ok($name::$variant),
                Err(_) => Err(E::invalid_value(::serde::de::Unexpected::Str(v), &self)),
            }
        }
    };
    (@visit $de:lifetime, $name:ident, object $variant:ident ($payload:ty)) => {
        fn visit_map<A: ::serde::de::MapAccess<$de>>(self, map: A) -> Result<$name, A::Error> {
            $crate::wire::one_of::visit_object::<$payload, A>(map).map($name::$variant)
        }
    };
    (@visit $de:lifetime, $name:ident, array $variant:ident ($payload:ty)) => {
        fn visit_seq<A: ::serde::de::SeqAccess<$de>>(self, seq: A) -> Result<$name, A::Error> {
            <$payload as ::serde::Deserialize>::deserialize(
                ::serde::de::value::SeqAccessDeserializer::new(seq),
            )
            .map($name::$variant)
        }
    };
    (@visit $de:lifetime, $name:ident, integer $variant:ident ($payload:ty)) => {
        fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> Result<$name, E> {
            Ok($name::$variant(v))
        }

        fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<$name, E> {
            i64::try_from(v)
                .map($name::$variant)
                .map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned(v), &self))
        }
    };
}
