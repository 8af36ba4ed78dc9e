//! Internally tagged unions: `wire_union!` declares an enum chosen by a tag
//! member (`type`, or `role` for messages) that may stand anywhere in the
//! object. Members before the tag are buffered as their text (in one buffer,
//! as unknown members are kept: see [`super::ExtraMembers`]) and replayed
//! into the chosen variant; members after it stream directly.
//!
//! A variant marked `[owns_tag]` receives the tag as an ordinary member and
//! writes it itself; that is how a schema whose `type` is optional (a function
//! tool) keeps "absent" apart from `"function"`. `absent => Variant` names the
//! variant used when the object has no tag at all.

use std::borrow::Cow;

use serde::de::{self, MapAccess};
use serde_json::value::RawValue;

use super::{ExtraMembers, ObjectBuilder};

/// A union's progress through an object.
pub(crate) enum UnionState<V> {
    /// The tag has not been seen: members so far, in order.
    Pending(ExtraMembers),
    /// The tag chose this variant builder.
    Active(V),
}

impl<V> Default for UnionState<V> {
    fn default() -> Self {
        UnionState::Pending(ExtraMembers::new())
    }
}

impl<V> UnionState<V> {
    /// Buffers a member that precedes the tag, refusing duplicates.
    pub(crate) fn buffer<E: serde::de::Error>(
        buffered: &mut ExtraMembers,
        key: &str,
        value: &RawValue,
    ) -> Result<(), E> {
        buffered.begin(key)?;
        buffered.end(value.get());
        Ok(())
    }

    /// Reads and buffers the next member value; the duplicate check comes
    /// first so that its error points at the repeated name.
    pub(crate) fn buffer_next<'de, A: serde::de::MapAccess<'de>>(
        buffered: &mut ExtraMembers,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        buffered.begin(key)?;
        let value: super::RawJson = map.next_value()?;
        buffered.end(value.get());
        Ok(())
    }
}

/// The variants of a tagged object: what a tag value chooses, and the
/// builder of each. [`Tagged`] drives it; `wire_union!` (closed unions of
/// nested types) and `wire_event_family!` (event families with a catch-all)
/// implement it, so the tag-anywhere state machine exists once.
pub trait Variants: Sized {
    /// The value built.
    type Output;

    /// The tag member's name.
    const TAG: &'static str;

    /// Whether an explicit `null` tag reads as absent (schemas whose tag is
    /// optional); otherwise `null` is a type error.
    const OPTIONAL_TAG: bool;

    /// Reads the tag value in place; `None` for a `null` that reads as
    /// absent. Known values are checked here, inside the string visitor, so
    /// that an unknown tag is reported at the tag rather than after the
    /// object.
    fn read_tag<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error>;

    /// The builder of the variant `tag` names.
    fn choose<E: de::Error>(tag: &str) -> Result<Self, E>;

    /// Takes one member whose value is still in the deserializer.
    fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;

    /// Takes one buffered member.
    fn member_value<E: de::Error>(&mut self, key: &str, value: &RawValue) -> Result<(), E>;

    /// Finishes the chosen variant.
    fn finish<E: de::Error>(self) -> Result<Self::Output, E>;

    /// The value of an object that had no tag (its members, in order).
    fn untagged<E: de::Error>(buffered: ExtraMembers) -> Result<Self::Output, E>;
}

/// The one tag-anywhere builder: members before the tag are buffered and
/// replayed into the variant the tag chooses; members after it stream.
pub struct Tagged<V> {
    state: UnionState<V>,
    /// The tag was sent as `null` (read as absent where the tag is optional).
    null_tag: bool,
}

impl<V> Default for Tagged<V> {
    fn default() -> Self {
        Tagged {
            state: UnionState::default(),
            null_tag: false,
        }
    }
}

impl<V: Variants> Tagged<V> {
    fn activate<E: de::Error>(&mut self, tag: &str) -> Result<(), E> {
        if self.null_tag {
            return Err(E::duplicate_field(V::TAG));
        }
        let mut chosen = V::choose::<E>(tag)?;
        let buffered = match std::mem::take(&mut self.state) {
            UnionState::Pending(buffered) => buffered,
            UnionState::Active(_) => return Err(E::duplicate_field(V::TAG)),
        };
        for (key, value) in buffered.iter() {
            chosen.member_value::<E>(&key, value)?;
        }
        self.state = UnionState::Active(chosen);
        Ok(())
    }

    /// An explicit `null` tag where the tag is optional: read as absent,
    /// like `null` on any optional non-nullable member.
    fn null_tag<E: de::Error>(&mut self) -> Result<(), E> {
        if self.null_tag || matches!(self.state, UnionState::Active(_)) {
            return Err(E::duplicate_field(V::TAG));
        }
        self.null_tag = true;
        Ok(())
    }
}

impl<V: Variants> ObjectBuilder for Tagged<V> {
    type Output = V::Output;

    fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if key == V::TAG {
            if matches!(self.state, UnionState::Active(_)) {
                return Err(de::Error::duplicate_field(V::TAG));
            }
            return match V::read_tag(map)? {
                Some(tag) => self.activate::<A::Error>(&tag),
                None => self.null_tag::<A::Error>(),
            };
        }
        match &mut self.state {
            UnionState::Active(b) => b.member(key, map),
            UnionState::Pending(buffered) => UnionState::<V>::buffer_next(buffered, key, map),
        }
    }

    fn member_value<E: de::Error>(&mut self, key: &str, value: &RawValue) -> Result<(), E> {
        if key == V::TAG {
            if matches!(self.state, UnionState::Active(_)) {
                return Err(E::duplicate_field(V::TAG));
            }
            if value.get().trim() == "null" && V::OPTIONAL_TAG {
                return self.null_tag::<E>();
            }
            let tag: String = super::from_buffered(V::TAG, value)?;
            return self.activate::<E>(&tag);
        }
        match &mut self.state {
            UnionState::Active(b) => b.member_value(key, value),
            UnionState::Pending(buffered) => UnionState::<V>::buffer(buffered, key, value),
        }
    }

    fn finish<E: de::Error>(self) -> Result<V::Output, E> {
        match self.state {
            UnionState::Active(b) => b.finish(),
            UnionState::Pending(buffered) => V::untagged(buffered),
        }
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
        wire_model_type! {
            $(#[$attr])*
            pub enum $name {
                $( $(#[$vattr])* $variant($payload), )*
            }
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
            use $crate::wire::{ObjectBuilder, Tagged, Variants, WireObject};

            const TAG: &str = $tag;
            const VARIANTS: &[&str] = &[ $( $value ),* ];

            // Builders live for one object; boxing their variants would cost an
            // allocation per object for nothing.
            #[allow(non_camel_case_types, clippy::large_enum_variant)]
            pub enum VariantBuilder {
                $( $variant(<$payload as WireObject>::Builder), )*
            }

            pub type Builder = Tagged<VariantBuilder>;

            impl Variants for VariantBuilder {
                type Output = $name;
                const TAG: &'static str = TAG;
                const OPTIONAL_TAG: bool = wire_union!(@optional_tag [$($absent)?]);

                fn read_tag<'de, A: ::serde::de::MapAccess<'de>>(
                    map: &mut A,
                ) -> Result<Option<::std::borrow::Cow<'de, str>>, A::Error> {
                    let tag = wire_union!(@read_tag map, [$($absent)?]);
                    Ok(tag.map(::std::borrow::Cow::Borrowed))
                }

                fn choose<E: ::serde::de::Error>(tag: &str) -> Result<Self, E> {
                    Ok(match tag {
                        $(
                            $value => {
                                #[allow(unused_mut)]
                                let mut b = <<$payload as WireObject>::Builder as Default>::default();
                                $( wire_union!(@owns $owns); ObjectBuilder::member_value::<E>(&mut b, TAG, &::serde_json::value::to_raw_value(tag).map_err(E::custom)?)?; )?
                                VariantBuilder::$variant(b)
                            }
                        )*
                        other => return Err(::serde::de::Error::unknown_variant(other, VARIANTS)),
                    })
                }

                fn member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    match self { $( VariantBuilder::$variant(b) => b.member(key, map), )* }
                }

                fn member_value<E: ::serde::de::Error>(&mut self, key: &str, value: &::serde_json::value::RawValue) -> Result<(), E> {
                    match self { $( VariantBuilder::$variant(b) => b.member_value(key, value), )* }
                }

                fn finish<E: ::serde::de::Error>(self) -> Result<$name, E> {
                    match self { $( VariantBuilder::$variant(b) => Ok($name::$variant(b.finish()?)), )* }
                }

                fn untagged<E: ::serde::de::Error>(buffered: $crate::wire::ExtraMembers) -> Result<$name, E> {
                    wire_union!(@absent E, buffered, [$($absent)?])
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
    (@absent $E:ident, $buffered:ident, []) => {{
        let _ = $buffered;
        Err(<$E as ::serde::de::Error>::missing_field(TAG))
    }};
    (@absent $E:ident, $buffered:ident, [$absent:ident]) => {{
        let mut chosen = VariantBuilder::$absent(Default::default());
        for (key, value) in $buffered.iter() {
            chosen.member_value::<$E>(&key, value)?;
        }
        chosen.finish()
    }};
}
