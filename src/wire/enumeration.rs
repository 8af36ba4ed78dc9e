//! Closed string enums: `wire_enum!` declares a unit enum with its wire
//! strings, serde impls, the list of values (for dictionaries, drift reports
//! and error messages) and its shape.

/// Declares a closed string enum: `Variant = "wire"`. A variant without a
/// doc comment is documented by its wire string.
macro_rules! wire_enum {
    (@doc [] $wire:literal) => { concat!("`", $wire, "`") };
    (@doc [$($written:tt)+] $wire:literal) => { "" };
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$vattr:meta])* $variant:ident = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub enum $name {
            $(
                #[doc = wire_enum!(@doc [$(#[$vattr])*] $wire)]
                $(#[$vattr])*
                $variant,
            )*
        }

        impl $name {
            /// Every wire value, in spec order.
            pub const VALUES: &'static [&'static str] = &[ $( $wire ),* ];

            /// The wire value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )*
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // KnownTag checks inside the string visitor, so an unknown
                // value is reported at its own position.
                let value = ::serde::de::DeserializeSeed::deserialize(
                    $crate::wire::KnownTag(Self::VALUES),
                    deserializer,
                )?;
                const ALL: &[$name] = &[ $( $name::$variant ),* ];
                // VALUES and ALL are written from the same list, so the
                // position found in one is valid in the other.
                let index = Self::VALUES.iter().position(|v| *v == value).unwrap_or(0);
                Ok(ALL[index])
            }
        }

        impl $crate::wire::shape::Describe for $name {
            fn shape() -> $crate::wire::shape::Shape {
                $crate::wire::shape::Shape::Enum(Self::VALUES)
            }
        }
    };
}
