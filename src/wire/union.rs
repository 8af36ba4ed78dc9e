//! Internally tagged unions: `wire_union!` declares an enum chosen by a tag
//! member (`type`, or `role` for messages) that may stand anywhere in the
//! object. Members before the tag are buffered as `serde_json::Value` and
//! replayed into the chosen variant; members after it stream directly.
//!
//! A variant marked `[owns_tag]` receives the tag as an ordinary member and
//! writes it itself; that is how a schema whose `type` is optional (a function
//! tool) keeps "absent" apart from `"function"`. `absent => Variant` names the
//! variant used when the object has no tag at all.

use serde_json::Value;

/// A union's progress through an object.
pub(crate) enum UnionState<V> {
    /// The tag has not been seen: members so far, in order.
    Pending(Vec<(String, Value)>),
    /// The tag chose this variant builder.
    Active(V),
}

impl<V> Default for UnionState<V> {
    fn default() -> Self {
        UnionState::Pending(Vec::new())
    }
}

impl<V> UnionState<V> {
    /// Buffers a member that precedes the tag, refusing duplicates.
    pub(crate) fn buffer<E: serde::de::Error>(
        buffered: &mut Vec<(String, Value)>,
        key: &str,
        value: Value,
    ) -> Result<(), E> {
        if buffered.iter().any(|(k, _)| k == key) {
            return Err(super::duplicate(key));
        }
        buffered.push((key.to_owned(), value));
        Ok(())
    }

    /// Reads and buffers the next member value; the duplicate check comes
    /// first so that its error points at the repeated name.
    pub(crate) fn buffer_next<'de, A: serde::de::MapAccess<'de>>(
        buffered: &mut Vec<(String, Value)>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if buffered.iter().any(|(k, _)| k == key) {
            return Err(super::duplicate(key));
        }
        let super::StrictValue(value) = map.next_value()?;
        buffered.push((key.to_owned(), value));
        Ok(())
    }
}

/// Reads a tag value: a string, borrowed when possible.
pub(crate) struct Tag<'de>(pub std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Tag<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;
        impl<'de> serde::de::Visitor<'de> for TagVisitor {
            type Value = Tag<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Tag(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Tag(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Tag(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TagVisitor)
    }
}

/// Reads a union's tag, accepting only the given values; the check runs
/// inside the string visitor so that the error's position is the tag's.
pub(crate) struct KnownTag(pub &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for KnownTag {
    type Value = &'static str;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for KnownTag {
    type Value = &'static str;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0
            .iter()
            .copied()
            .find(|known| *known == v)
            .ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// Reads an optional union tag: `null` gives `None`, a string must be one
/// of the given values.
pub(crate) struct OptionalTag(pub &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for OptionalTag {
    type Value = Option<&'static str>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> serde::de::Visitor<'de> for OptionalTag {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(KnownTag(self.0), deserializer).map(Some)
    }
}

/// Declares an internally tagged union; see the module docs.
macro_rules! wire_union {
    (
        $(#[$attr:meta])*
        pub enum $name:ident : $expecting:expr, tag $tag:literal $(, absent => $absent:ident)? {
            $(
                $(#[$vattr:meta])*
                $value:literal => $variant:ident ( $payload:ty ) $([$owns:ident])?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub enum $name {
            $( $(#[$vattr])* $variant($payload), )*
        }

        impl $name {
            /// The tag value this variant is written with.
            pub fn tag(&self) -> &'static str {
                match self {
                    $( $name::$variant(_) => $value, )*
                }
            }
        }

        const _: () = {
            use $crate::wire::{ObjectBuilder, UnionState, WireObject};

            const TAG: &str = $tag;
            const VARIANTS: &[&str] = &[ $( $value ),* ];

            // Builders live for one object; boxing their variants would cost an
            // allocation per object for nothing.
            #[allow(non_camel_case_types, clippy::large_enum_variant)]
            pub enum VariantBuilder {
                $( $variant(<$payload as WireObject>::Builder), )*
            }

            #[derive(Default)]
            pub struct Builder {
                state: UnionState<VariantBuilder>,
                /// The tag was sent as `null` (read as absent where the tag is optional).
                null_tag: bool,
            }

            impl Builder {
                fn activate<E: ::serde::de::Error>(&mut self, tag: &str) -> Result<(), E> {
                    if self.null_tag {
                        return Err(::serde::de::Error::duplicate_field(TAG));
                    }
                    #[allow(unused_mut)]
                    let mut chosen = match tag {
                        $(
                            $value => {
                                #[allow(unused_mut)]
                                let mut b = <<$payload as WireObject>::Builder as Default>::default();
                                $( wire_union!(@owns $owns); ObjectBuilder::member_value::<E>(&mut b, TAG, ::serde_json::Value::String(tag.to_owned()))?; )?
                                VariantBuilder::$variant(b)
                            }
                        )*
                        other => return Err(::serde::de::Error::unknown_variant(other, VARIANTS)),
                    };
                    let buffered = match ::core::mem::replace(&mut self.state, UnionState::Pending(Vec::new())) {
                        UnionState::Pending(buffered) => buffered,
                        UnionState::Active(_) => return Err(::serde::de::Error::duplicate_field(TAG)),
                    };
                    for (key, value) in buffered {
                        chosen.member_value::<E>(&key, value)?;
                    }
                    self.state = UnionState::Active(chosen);
                    Ok(())
                }
            }

            impl Builder {
                /// An explicit `null` tag where the tag is optional: read as
                /// absent, like `null` on any optional non-nullable member.
                fn null_tag<E: ::serde::de::Error>(&mut self) -> Result<(), E> {
                    if self.null_tag || matches!(self.state, UnionState::Active(_)) {
                        return Err(::serde::de::Error::duplicate_field(TAG));
                    }
                    self.null_tag = true;
                    Ok(())
                }
            }

            impl VariantBuilder {
                fn member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    match self { $( VariantBuilder::$variant(b) => b.member(key, map), )* }
                }
                fn member_value<E: ::serde::de::Error>(&mut self, key: &str, value: ::serde_json::Value) -> Result<(), E> {
                    match self { $( VariantBuilder::$variant(b) => b.member_value(key, value), )* }
                }
            }

            impl ObjectBuilder for Builder {
                type Output = $name;

                fn member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    if key == TAG {
                        if matches!(self.state, UnionState::Active(_)) {
                            return Err(::serde::de::Error::duplicate_field(TAG));
                        }
                        // Checked while reading, so that an unknown tag is
                        // reported at the tag rather than after the object.
                        let tag = wire_union!(@read_tag map, [$($absent)?]);
                        return match tag {
                            Some(tag) => self.activate::<A::Error>(tag),
                            None => self.null_tag::<A::Error>(),
                        };
                    }
                    match &mut self.state {
                        UnionState::Active(b) => b.member(key, map),
                        UnionState::Pending(buffered) => UnionState::<VariantBuilder>::buffer_next(buffered, key, map),
                    }
                }

                fn member_value<E: ::serde::de::Error>(&mut self, key: &str, value: ::serde_json::Value) -> Result<(), E> {
                    if key == TAG {
                        if matches!(self.state, UnionState::Active(_)) {
                            return Err(::serde::de::Error::duplicate_field(TAG));
                        }
                        if value.is_null() && wire_union!(@optional_tag [$($absent)?]) {
                            return self.null_tag::<E>();
                        }
                        let tag: String = $crate::wire::from_buffered(TAG, value)?;
                        return self.activate::<E>(&tag);
                    }
                    match &mut self.state {
                        UnionState::Active(b) => b.member_value(key, value),
                        UnionState::Pending(buffered) => UnionState::<VariantBuilder>::buffer(buffered, key, value),
                    }
                }

                fn finish<E: ::serde::de::Error>(self) -> Result<$name, E> {
                    match self.state {
                        UnionState::Active(b) => match b {
                            $( VariantBuilder::$variant(b) => Ok($name::$variant(b.finish()?)), )*
                        },
                        UnionState::Pending(buffered) => {
                            wire_union!(@absent $name, E, buffered, [$($absent)?], [ $( $variant ( $payload ) ),* ])
                        }
                    }
                }
            }

            impl WireObject for $name {
                type Builder = Builder;
                const EXPECTING: &'static str = $expecting;

                fn write_members<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                    match self {
                        $(
                            $name::$variant(payload) => {
                                wire_union!(@write_tag map, $value, [$($owns)?]);
                                payload.write_members(map)
                            }
                        )*
                    }
                }
            }

            wire_object_serde!($name, Builder, $expecting);

            impl $crate::wire::shape::Describe for $name {
                fn shape() -> $crate::wire::shape::Shape {
                    $crate::wire::shape::Shape::Union($crate::wire::shape::UnionShape {
                        name: $expecting,
                        tag: TAG,
                        variants: vec![ $( ($value, <$payload as $crate::wire::shape::Describe>::shape()), )* ],
                        absent: wire_union!(@absent_tag [$($absent)?], [ $( $value => $variant ),* ]),
                    })
                }
            }
        };
    };

    (@absent_tag [], [ $( $value:literal => $variant:ident ),* ]) => { None };
    (@absent_tag [$absent:ident], [ $( $value:literal => $variant:ident ),* ]) => {{
        #[allow(non_snake_case)]
        let found = [ $( (stringify!($variant), $value) ),* ]
            .into_iter()
            .find(|(v, _)| *v == stringify!($absent))
            .map(|(_, value)| value);
        found
    }};

    (@owns owns_tag) => {};
    (@optional_tag []) => { false };
    (@optional_tag [$absent:ident]) => { true };
    (@read_tag $map:ident, []) => {
        Some($map.next_value_seed($crate::wire::KnownTag(VARIANTS))?)
    };
    (@read_tag $map:ident, [$absent:ident]) => {
        $map.next_value_seed($crate::wire::OptionalTag(VARIANTS))?
    };
    (@write_tag $map:ident, $value:literal, []) => {
        ::serde::ser::SerializeMap::serialize_entry($map, TAG, $value)?;
    };
    (@write_tag $map:ident, $value:literal, [owns_tag]) => {};
    (@absent $name:ident, $E:ident, $buffered:ident, [], [ $( $variant:ident ( $payload:ty ) ),* ]) => {{
        let _ = $buffered;
        Err(<$E as ::serde::de::Error>::missing_field(TAG))
    }};
    (@absent $name:ident, $E:ident, $buffered:ident, [$absent:ident], [ $( $variant:ident ( $payload:ty ) ),* ]) => {{
        let mut chosen = VariantBuilder::$absent(Default::default());
        for (key, value) in $buffered {
            chosen.member_value::<$E>(&key, value)?;
        }
        match chosen {
            $( VariantBuilder::$variant(b) => Ok($name::$variant(b.finish()?)), )*
        }
    }};
}
