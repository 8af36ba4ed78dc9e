//! Event families: `wire_event_family!` declares, from one table of wire
//! names and member lists, the event enum (one variant per event type, with
//! its members inline and unknown members in `extra`, plus an `Unknown`
//! catch-all that keeps any other `type` whole), the unit enum of the
//! family's types, the per-event member structs, and the serde code. The
//! variant builder implements [`super::Variants`], so parsing runs on the
//! same tag-anywhere state machine as every `wire_union!`.
//!
//! The table is the only place an event is spelled out, so the enum, the
//! unit enum, the shape and the serializer can never disagree.

use std::any::Any;

/// One member of an event, by wire name, as the family macro lists them
/// ([`Member::text`], [`Member::integer`] read it whether the member is
/// required or optional): rules that judge members by name (every
/// `event_id`, every `output_index`) need no hand-written match per event.
#[derive(Clone, Copy)]
pub struct Member<'a> {
    /// The wire name.
    pub name: &'static str,
    value: &'a dyn Any,
}

impl<'a> Member<'a> {
    /// A member named `name` holding `value`.
    pub fn new(name: &'static str, value: &'a dyn Any) -> Self {
        Member { name, value }
    }

    /// The member's text, when it is a string member that is present.
    pub fn text(&self) -> Option<&'a str> {
        if let Some(text) = self.value.downcast_ref::<Option<String>>() {
            return text.as_deref();
        }
        self.value.downcast_ref::<String>().map(String::as_str)
    }

    /// The member's value, when it is an integer member that is present.
    pub fn integer(&self) -> Option<i64> {
        if let Some(value) = self.value.downcast_ref::<Option<i64>>() {
            return *value;
        }
        self.value.downcast_ref::<i64>().copied()
    }
}

/// Declares an event family; see the module docs.
macro_rules! wire_event_family {
    // Each event may name a constructor (`=> Variant / Members / ctor`):
    // then the family also has a function taking every member in table
    // order (the client family writes its own constructors).
    (
        $(#[$attr:meta])*
        pub enum $name:ident / $types:ident / $unknown_type:ident : $expecting:literal, $family:literal {
            $(
                $(#[$vattr:meta])*
                $wire:literal ($schema:literal) => $variant:ident / $members:ident $(/ $ctor:ident)? {
                    $( $(#[$fattr:meta])* $kind:ident $field:ident : $ty:ty ),* $(,)?
                }
            ),* $(,)?
        }
    ) => {
        wire_model_type! {
            $(#[$attr])*
            pub enum $name {
                $(
                    $(#[$vattr])*
                    $variant {
                        $( $(#[$fattr])* $field: wire_field_type!($kind $ty), )*
                        /// Members the spec does not name, re-emitted as received.
                        extra: $crate::wire::ExtraMembers,
                    },
                )*
                /// Any other `type`: the type string and every other member,
                /// re-emitted unchanged.
                #[cfg_attr(feature = "arbitrary", arbitrary(skip))]
                Unknown {
                    /// The frame's `type`.
                    event_type: String,
                    /// The frame's other members, in arrival order.
                    members: ::serde_json::Map<String, ::serde_json::Value>,
                },
            }
        }

        wire_enum! {
            #[doc = concat!("The GA ", $family, " event types.")]
            #[derive(PartialOrd, Ord)]
            pub enum $types {
                $( $variant = $wire, )*
            }
        }

        impl $types {
            #[doc = concat!("Every GA ", $family, " event type, in spec order.")]
            pub const ALL: &'static [$types] = &[ $( $types::$variant, )* ];

            #[doc = concat!("The wire names of [`", stringify!($types), "::ALL`].")]
            pub const WIRE_NAMES: &'static [&'static str] = Self::VALUES;

            /// The spec schema of the event, e.g. `"RealtimeClientEventSessionUpdate"`.
            pub const fn schema(self) -> &'static str {
                match self { $( $types::$variant => $schema, )* }
            }

            /// The event type named `s`, if it is one of the family's.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s { $( $wire => Some($types::$variant), )* _ => None }
            }
        }

        #[doc = concat!("An event type string that is not a GA ", $family, " event type.")]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $unknown_type(pub String);

        impl ::std::fmt::Display for $unknown_type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, concat!("`{}` is not a GA ", $family, " event type"), self.0)
            }
        }

        impl ::std::error::Error for $unknown_type {}

        impl ::std::str::FromStr for $types {
            type Err = $unknown_type;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $types::from_wire(s).ok_or_else(|| $unknown_type(s.to_owned()))
            }
        }

        impl ::std::fmt::Display for $types {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $name {
            /// The GA event type, or `None` for `Unknown`.
            pub fn to_event_type(&self) -> Option<$types> {
                match self {
                    $( $name::$variant { .. } => Some($types::$variant), )*
                    $name::Unknown { .. } => None,
                }
            }

            /// The event type string: the wire name for the GA events,
            /// `"unknown"` for `Unknown` (see `wire_type`).
            pub fn event_type(&self) -> &str {
                self.to_event_type().map_or("unknown", $types::as_str)
            }

            /// The `type` the frame carries on the wire, for every variant.
            pub fn wire_type(&self) -> &str {
                match self {
                    $name::Unknown { event_type, .. } => event_type,
                    known => known.event_type(),
                }
            }

            /// The `event_id`, if the frame has one: the member where the
            /// event's schema names it, else an unnamed `event_id` kept in
            /// `extra` (`input_audio_buffer.dtmf_event_received` has none in
            /// the spec, yet a frame may carry one). Borrowed, except for an
            /// unnamed one written with escapes: `extra` keeps members as
            /// written, so that one is decoded here.
            pub fn event_id(&self) -> Option<::std::borrow::Cow<'_, str>> {
                match self {
                    $name::Unknown { members, .. } => members
                        .get("event_id")
                        .and_then(::serde_json::Value::as_str)
                        .map(::std::borrow::Cow::Borrowed),
                    known => match known.members().into_iter().find(|m| m.name == "event_id") {
                        Some(member) => member.text().map(::std::borrow::Cow::Borrowed),
                        None => known.extra().and_then(|extra| extra.get_str("event_id")),
                    },
                }
            }

            /// The members of a GA event by wire name, in table order
            /// (none for `Unknown`, and not `extra`).
            pub fn members(&self) -> Vec<$crate::wire::family::Member<'_>> {
                match self {
                    $(
                        #[allow(unused_variables)]
                        $name::$variant { $( $field, )* .. } => vec![ $(
                            $crate::wire::family::Member::new(
                                $crate::wire::wire_name(stringify!($field)),
                                $field,
                            ),
                        )* ],
                    )*
                    $name::Unknown { .. } => Vec::new(),
                }
            }

            /// Members the spec does not name (for `Unknown`: none, the
            /// whole frame is kept in `members`).
            pub fn extra(&self) -> Option<&$crate::wire::ExtraMembers> {
                match self {
                    $( $name::$variant { extra, .. } => Some(extra), )*
                    $name::Unknown { .. } => None,
                }
            }
        }

        mod members {
            #[allow(unused_imports)]
            use super::*;
            $(
                wire_object! {
                    #[doc = concat!("The members of `", $wire, "` other than `type`.")]
                    pub struct $members : concat!("a ", $wire, " event object"), open {
                        $( $kind $field : $ty ),*
                    }
                }
            )*
        }

        const _: () = {
            use $crate::wire::{ObjectBuilder, Tagged, Variants, WireObject};

            /// The family's builder once `type` is known.
            pub enum EventBuilder {
                $( $variant(<members::$members as WireObject>::Builder), )*
                Unknown(String, ::serde_json::Map<String, ::serde_json::Value>),
            }

            impl Variants for EventBuilder {
                type Output = $name;
                const TAG: &'static str = "type";
                const OPTIONAL_TAG: bool = false;

                fn read_tag<'de, A: ::serde::de::MapAccess<'de>>(
                    map: &mut A,
                ) -> Result<Option<::std::borrow::Cow<'de, str>>, A::Error> {
                    Ok(Some(map.next_value::<$crate::wire::Tag<'de>>()?.0))
                }

                fn choose<E: ::serde::de::Error>(tag: &str) -> Result<Self, E> {
                    Ok(match tag {
                        $( $wire => EventBuilder::$variant(Default::default()), )*
                        other => EventBuilder::Unknown(other.to_owned(), ::serde_json::Map::new()),
                    })
                }

                fn member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    match self {
                        $( EventBuilder::$variant(b) => b.member(key, map), )*
                        EventBuilder::Unknown(_, members) => {
                            if members.contains_key(key) {
                                return Err($crate::wire::duplicate(key));
                            }
                            let $crate::wire::StrictValue(value) = map.next_value()?;
                            members.insert(key.to_owned(), value);
                            Ok(())
                        }
                    }
                }

                fn member_value<E: ::serde::de::Error>(&mut self, key: &str, value: &::serde_json::value::RawValue) -> Result<(), E> {
                    match self {
                        $( EventBuilder::$variant(b) => b.member_value(key, value), )*
                        EventBuilder::Unknown(_, members) => {
                            if members.contains_key(key) {
                                return Err($crate::wire::duplicate(key));
                            }
                            let $crate::wire::StrictValue(value) =
                                ::serde_json::from_str(value.get()).map_err(E::custom)?;
                            members.insert(key.to_owned(), value);
                            Ok(())
                        }
                    }
                }

                fn finish<E: ::serde::de::Error>(self) -> Result<$name, E> {
                    Ok(match self {
                        $(
                            EventBuilder::$variant(b) => {
                                let members::$members { $( $field, )* extra } = b.finish()?;
                                $name::$variant { $( $field, )* extra }
                            }
                        )*
                        EventBuilder::Unknown(event_type, members) => $name::Unknown { event_type, members },
                    })
                }

                fn untagged<E: ::serde::de::Error>(
                    _buffered: $crate::wire::ExtraMembers,
                ) -> Result<$name, E> {
                    Err(E::missing_field("type"))
                }
            }

            impl<'de> ::serde::Deserialize<'de> for $name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    deserializer.deserialize_map(
                        $crate::wire::ObjectVisitor::<Tagged<EventBuilder>>::new($expecting),
                    )
                }
            }
        };

        impl $crate::wire::shape::Describe for $name {
            fn shape() -> $crate::wire::shape::Shape {
                $crate::wire::shape::Shape::Union($crate::wire::shape::UnionShape {
                    name: $expecting,
                    tag: "type",
                    variants: vec![ $( ($wire, <members::$members as $crate::wire::shape::Describe>::shape()), )* ],
                    absent: None,
                })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                match self {
                    $(
                        $name::$variant { $( $field, )* extra } => {
                            map.serialize_entry("type", $wire)?;
                            $( wire_write_field!($kind &mut map, $crate::wire::wire_name(stringify!($field)), $field); )*
                            for (k, v) in extra.iter() {
                                map.serialize_entry(&*k, v)?;
                            }
                        }
                    )*
                    $name::Unknown { event_type, members } => {
                        map.serialize_entry("type", event_type)?;
                        for (k, v) in members {
                            map.serialize_entry(k, v)?;
                        }
                    }
                }
                map.end()
            }
        }
        $(
            wire_event_family!(@ctor $name, $wire, $variant, [$($ctor)?], [ $( $kind $field : $ty ),* ]);
        )*
    };

    (@ctor $name:ident, $wire:literal, $variant:ident, [], [ $($fields:tt)* ]) => {};
    (@ctor $name:ident, $wire:literal, $variant:ident, [$ctor:ident], [ $( $kind:ident $field:ident : $ty:ty ),* ]) => {
        impl $name {
            #[doc = concat!("`", $wire, "` with the given members and no unknown ones.")]
            #[allow(clippy::too_many_arguments)]
            pub fn $ctor( $( $field: wire_field_type!($kind $ty), )* ) -> Self {
                $name::$variant { $( $field, )* extra: $crate::wire::ExtraMembers::new() }
            }
        }
    };
}
