//! Client events, spec schema `RealtimeClientEvent`: the eleven GA events,
//! tagged by `type`, and a catch-all that keeps any other frame intact.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::audio_data::Base64Audio;
use crate::item::ConversationItem;
use crate::response::RealtimeResponseCreateParams;
use crate::session::SessionConfig;
use crate::wire::{
    duplicate, ExtraMembers, KnownTag, ObjectBuilder, ObjectVisitor, StrictValue, Tag, UnionState,
    WireObject,
};

/// Declares `ClientEvent`, `RealtimeClientEvent` and the per-event member
/// structs from one table, so the three can never disagree.
macro_rules! client_events {
    ( $(
        $(#[$vattr:meta])*
        $wire:literal => $variant:ident / $members:ident {
            $( $(#[$fattr:meta])* $kind:ident $field:ident : $ty:ty ),* $(,)?
        }
    ),* $(,)? ) => {
        /// A client event: one JSON frame sent by a Realtime client, spec schema
        /// `RealtimeClientEvent` (the variant's wire `type` names its schema,
        /// `session.update` is `RealtimeClientEventSessionUpdate`).
        ///
        /// Every variant keeps members the spec does not name in `extra`, and
        /// [`ClientEvent::Unknown`] keeps frames of any other `type`, so that
        /// parsing and re-serializing never loses data.
        ///
        /// ```
        /// use realtime_harness::{ClientEvent, ConversationItem, RealtimeClientEvent};
        ///
        /// // Parse: `from_slice`, or `str::parse`.
        /// let frame = br#"{"type":"conversation.item.delete","event_id":"evt_1","item_id":"item_9"}"#;
        /// let event = ClientEvent::from_slice(frame)?;
        /// assert_eq!(event.to_event_type(), Some(RealtimeClientEvent::ConversationItemDelete));
        /// assert_eq!(event.event_id(), Some("evt_1"));
        /// assert_eq!(event.to_vec(), frame.to_vec());
        ///
        /// // Build: one constructor per event type.
        /// let create = ClientEvent::conversation_item_create(None, None, ConversationItem::user_text("Hi"));
        /// assert_eq!(
        ///     create.to_json(),
        ///     r#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}"#
        /// );
        ///
        /// // Any other type is kept whole.
        /// let beta: ClientEvent = r#"{"type":"transcription_session.update","session":{}}"#.parse()?;
        /// assert!(matches!(&beta, ClientEvent::Unknown { event_type, .. } if event_type == "transcription_session.update"));
        /// # Ok::<(), realtime_harness::ParseError>(())
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub enum ClientEvent {
            $(
                $(#[$vattr])*
                $variant {
                    $( $(#[$fattr])* $field: wire_field_type!($kind $ty), )*
                    /// Members the spec does not name, re-emitted as received.
                    extra: ExtraMembers,
                },
            )*
            /// Any other `type` (for example the beta-era
            /// `transcription_session.update`): the type string and every
            /// other member, re-emitted unchanged.
            #[cfg_attr(feature = "arbitrary", arbitrary(skip))]
            Unknown {
                /// The frame's `type`.
                event_type: String,
                /// The frame's other members, in arrival order.
                members: Map<String, Value>,
            },
        }

        /// The eleven GA client event types.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub enum RealtimeClientEvent {
            $( #[doc = concat!("`", $wire, "`")] $variant, )*
        }

        impl RealtimeClientEvent {
            /// Every GA client event type, in spec order.
            pub const ALL: &'static [RealtimeClientEvent] = &[ $( RealtimeClientEvent::$variant, )* ];

            /// The wire names of [`RealtimeClientEvent::ALL`].
            pub const WIRE_NAMES: &'static [&'static str] = &[ $( $wire, )* ];

            /// The wire name, e.g. `"session.update"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( RealtimeClientEvent::$variant => $wire, )* }
            }

            /// The event type named `s`, if it is one of the eleven.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s { $( $wire => Some(RealtimeClientEvent::$variant), )* _ => None }
            }
        }

        impl ClientEvent {
            /// The GA event type, or `None` for [`ClientEvent::Unknown`].
            pub fn to_event_type(&self) -> Option<RealtimeClientEvent> {
                match self {
                    $( ClientEvent::$variant { .. } => Some(RealtimeClientEvent::$variant), )*
                    ClientEvent::Unknown { .. } => None,
                }
            }

            /// Members the spec does not name (for `Unknown`: none, the
            /// whole frame is kept in `members`).
            pub fn extra(&self) -> Option<&ExtraMembers> {
                match self {
                    $( ClientEvent::$variant { extra, .. } => Some(extra), )*
                    ClientEvent::Unknown { .. } => None,
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

        /// The event builder's state once `type` is known.
        enum EventBuilder {
            $( $variant(<members::$members as WireObject>::Builder), )*
            Unknown(String, Map<String, Value>),
        }

        impl EventBuilder {
            fn for_type(event_type: &str) -> Self {
                match event_type {
                    $( $wire => EventBuilder::$variant(Default::default()), )*
                    other => EventBuilder::Unknown(other.to_owned(), Map::new()),
                }
            }

            fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                match self {
                    $( EventBuilder::$variant(b) => b.member(key, map), )*
                    EventBuilder::Unknown(_, members) => {
                        if members.contains_key(key) {
                            return Err(duplicate(key));
                        }
                        let StrictValue(value) = map.next_value()?;
                        members.insert(key.to_owned(), value);
                        Ok(())
                    }
                }
            }

            fn member_value<E: de::Error>(&mut self, key: &str, value: Value) -> Result<(), E> {
                match self {
                    $( EventBuilder::$variant(b) => b.member_value(key, value), )*
                    EventBuilder::Unknown(_, members) => insert_unique(members, key, value),
                }
            }

            fn finish<E: de::Error>(self) -> Result<ClientEvent, E> {
                Ok(match self {
                    $(
                        EventBuilder::$variant(b) => {
                            let members::$members { $( $field, )* extra } = b.finish()?;
                            ClientEvent::$variant { $( $field, )* extra }
                        }
                    )*
                    EventBuilder::Unknown(event_type, members) => ClientEvent::Unknown { event_type, members },
                })
            }
        }

        impl crate::shape::Describe for ClientEvent {
            fn shape() -> crate::shape::Shape {
                crate::shape::Shape::Union(crate::shape::UnionShape {
                    name: EXPECTING,
                    tag: "type",
                    variants: vec![ $( ($wire, <members::$members as crate::shape::Describe>::shape()), )* ],
                    absent: None,
                })
            }
        }

        impl Serialize for ClientEvent {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                match self {
                    $(
                        ClientEvent::$variant { $( $field, )* extra } => {
                            map.serialize_entry("type", $wire)?;
                            $( wire_write_field!($kind &mut map, crate::wire::wire_name(stringify!($field)), $field); )*
                            for (k, v) in extra.iter() {
                                map.serialize_entry(k, v)?;
                            }
                        }
                    )*
                    ClientEvent::Unknown { event_type, members } => {
                        map.serialize_entry("type", event_type)?;
                        for (k, v) in members {
                            map.serialize_entry(k, v)?;
                        }
                    }
                }
                map.end()
            }
        }
    };
}

client_events! {
    /// `session.update`: spec schema `RealtimeClientEventSessionUpdate`.
    "session.update" => SessionUpdate / SessionUpdateMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// The session update: realtime or transcription.
        req session: Box<SessionConfig>,
    },
    /// `conversation.item.create`: spec schema `RealtimeClientEventConversationItemCreate`.
    "conversation.item.create" => ConversationItemCreate / ConversationItemCreateMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// Insert after this item; `root` inserts at the start; absent appends.
        opt previous_item_id: String,
        /// The item to add.
        req item: Box<ConversationItem>,
    },
    /// `conversation.item.delete`: spec schema `RealtimeClientEventConversationItemDelete`.
    "conversation.item.delete" => ConversationItemDelete / ConversationItemDeleteMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// The item to delete.
        req item_id: String,
    },
    /// `conversation.item.retrieve`: spec schema `RealtimeClientEventConversationItemRetrieve`.
    "conversation.item.retrieve" => ConversationItemRetrieve / ConversationItemRetrieveMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// The item to retrieve.
        req item_id: String,
    },
    /// `conversation.item.truncate`: spec schema `RealtimeClientEventConversationItemTruncate`.
    "conversation.item.truncate" => ConversationItemTruncate / ConversationItemTruncateMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// The assistant message item to truncate.
        req item_id: String,
        /// The content part to truncate (the spec says: set this to 0).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::content_index))]
        req content_index: i64,
        /// Inclusive end of the audio kept, in milliseconds.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::non_negative))]
        req audio_end_ms: i64,
    },
    /// `input_audio_buffer.append`: spec schema `RealtimeClientEventInputAudioBufferAppend`.
    "input_audio_buffer.append" => InputAudioBufferAppend / InputAudioBufferAppendMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// Base64 audio in the session's input format.
        req audio: Base64Audio,
    },
    /// `input_audio_buffer.clear`: spec schema `RealtimeClientEventInputAudioBufferClear`.
    "input_audio_buffer.clear" => InputAudioBufferClear / InputAudioBufferClearMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
    },
    /// `output_audio_buffer.clear`: spec schema `RealtimeClientEventOutputAudioBufferClear`
    /// (WebRTC and SIP only).
    "output_audio_buffer.clear" => OutputAudioBufferClear / OutputAudioBufferClearMembers {
        /// Optional client-generated id.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
    },
    /// `input_audio_buffer.commit`: spec schema `RealtimeClientEventInputAudioBufferCommit`.
    "input_audio_buffer.commit" => InputAudioBufferCommit / InputAudioBufferCommitMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
    },
    /// `response.cancel`: spec schema `RealtimeClientEventResponseCancel`.
    "response.cancel" => ResponseCancel / ResponseCancelMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// The response to cancel; absent cancels the in-progress one.
        opt response_id: String,
    },
    /// `response.create`: spec schema `RealtimeClientEventResponseCreate`.
    "response.create" => ResponseCreate / ResponseCreateMembers {
        /// Optional client-generated id (at most 512 characters).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::arb::event_id))]
        opt event_id: String,
        /// Parameters of the response; absent uses the session's.
        opt response: Box<RealtimeResponseCreateParams>,
    },
}

fn insert_unique<E: de::Error>(
    members: &mut Map<String, Value>,
    key: &str,
    value: Value,
) -> Result<(), E> {
    if members.contains_key(key) {
        return Err(duplicate(key));
    }
    members.insert(key.to_owned(), value);
    Ok(())
}

/// Collects a frame's members; `type` may come anywhere.
#[derive(Default)]
struct ClientEventBuilder {
    state: UnionState<EventBuilder>,
}

impl ClientEventBuilder {
    fn activate<E: de::Error>(&mut self, event_type: &str) -> Result<(), E> {
        let mut chosen = EventBuilder::for_type(event_type);
        match std::mem::replace(&mut self.state, UnionState::Pending(Vec::new())) {
            UnionState::Pending(buffered) => {
                for (key, value) in buffered {
                    chosen.member_value::<E>(&key, value)?;
                }
            }
            UnionState::Active(_) => return Err(E::duplicate_field("type")),
        }
        self.state = UnionState::Active(chosen);
        Ok(())
    }
}

impl ObjectBuilder for ClientEventBuilder {
    type Output = ClientEvent;

    fn member<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if key == "type" {
            if matches!(self.state, UnionState::Active(_)) {
                return Err(de::Error::duplicate_field("type"));
            }
            let tag = map.next_value::<Tag<'de>>()?;
            return self.activate::<A::Error>(&tag.0);
        }
        match &mut self.state {
            UnionState::Active(b) => b.member(key, map),
            UnionState::Pending(buffered) => {
                UnionState::<EventBuilder>::buffer_next(buffered, key, map)
            }
        }
    }

    fn member_value<E: de::Error>(&mut self, key: &str, value: Value) -> Result<(), E> {
        if key == "type" {
            if matches!(self.state, UnionState::Active(_)) {
                return Err(E::duplicate_field("type"));
            }
            let tag: String = crate::wire::from_buffered("type", value)?;
            return self.activate::<E>(&tag);
        }
        match &mut self.state {
            UnionState::Active(b) => b.member_value(key, value),
            UnionState::Pending(buffered) => {
                UnionState::<EventBuilder>::buffer(buffered, key, value)
            }
        }
    }

    fn finish<E: de::Error>(self) -> Result<ClientEvent, E> {
        match self.state {
            UnionState::Active(b) => b.finish(),
            UnionState::Pending(_) => Err(E::missing_field("type")),
        }
    }
}

const EXPECTING: &str = "a client event object";

impl<'de> Deserialize<'de> for ClientEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor::<ClientEventBuilder>::new(EXPECTING))
    }
}

impl ClientEvent {
    /// The event type string: the wire name for the eleven GA events,
    /// `"unknown"` for [`ClientEvent::Unknown`] (see [`ClientEvent::wire_type`]).
    pub fn event_type(&self) -> &str {
        self.to_event_type()
            .map_or("unknown", RealtimeClientEvent::as_str)
    }

    /// The `type` the frame carries on the wire, for every variant.
    pub fn wire_type(&self) -> &str {
        match self {
            ClientEvent::Unknown { event_type, .. } => event_type,
            known => known.event_type(),
        }
    }

    /// The `event_id`, if the event has one.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            ClientEvent::SessionUpdate { event_id, .. }
            | ClientEvent::ConversationItemCreate { event_id, .. }
            | ClientEvent::ConversationItemDelete { event_id, .. }
            | ClientEvent::ConversationItemRetrieve { event_id, .. }
            | ClientEvent::ConversationItemTruncate { event_id, .. }
            | ClientEvent::InputAudioBufferAppend { event_id, .. }
            | ClientEvent::InputAudioBufferClear { event_id, .. }
            | ClientEvent::InputAudioBufferCommit { event_id, .. }
            | ClientEvent::OutputAudioBufferClear { event_id, .. }
            | ClientEvent::ResponseCancel { event_id, .. }
            | ClientEvent::ResponseCreate { event_id, .. } => event_id.as_deref(),
            ClientEvent::Unknown { members, .. } => members.get("event_id").and_then(Value::as_str),
        }
    }

    /// `session.update` with the given session.
    pub fn session_update(event_id: Option<String>, session: SessionConfig) -> Self {
        ClientEvent::SessionUpdate {
            event_id,
            session: Box::new(session),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.create`.
    pub fn conversation_item_create(
        event_id: Option<String>,
        previous_item_id: Option<String>,
        item: ConversationItem,
    ) -> Self {
        ClientEvent::ConversationItemCreate {
            event_id,
            previous_item_id,
            item: Box::new(item),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.delete`.
    pub fn conversation_item_delete(event_id: Option<String>, item_id: impl Into<String>) -> Self {
        ClientEvent::ConversationItemDelete {
            event_id,
            item_id: item_id.into(),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.retrieve`.
    pub fn conversation_item_retrieve(
        event_id: Option<String>,
        item_id: impl Into<String>,
    ) -> Self {
        ClientEvent::ConversationItemRetrieve {
            event_id,
            item_id: item_id.into(),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.truncate`.
    pub fn conversation_item_truncate(
        event_id: Option<String>,
        item_id: impl Into<String>,
        content_index: i64,
        audio_end_ms: i64,
    ) -> Self {
        ClientEvent::ConversationItemTruncate {
            event_id,
            item_id: item_id.into(),
            content_index,
            audio_end_ms,
            extra: ExtraMembers::new(),
        }
    }

    /// `input_audio_buffer.append` with base64 audio.
    pub fn input_audio_buffer_append(event_id: Option<String>, audio: impl Into<String>) -> Self {
        ClientEvent::InputAudioBufferAppend {
            event_id,
            audio: Base64Audio::new(audio),
            extra: ExtraMembers::new(),
        }
    }

    /// `input_audio_buffer.clear`.
    pub fn input_audio_buffer_clear(event_id: Option<String>) -> Self {
        ClientEvent::InputAudioBufferClear {
            event_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `input_audio_buffer.commit`.
    pub fn input_audio_buffer_commit(event_id: Option<String>) -> Self {
        ClientEvent::InputAudioBufferCommit {
            event_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `output_audio_buffer.clear`.
    pub fn output_audio_buffer_clear(event_id: Option<String>) -> Self {
        ClientEvent::OutputAudioBufferClear {
            event_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `response.cancel`.
    pub fn response_cancel(event_id: Option<String>, response_id: Option<String>) -> Self {
        ClientEvent::ResponseCancel {
            event_id,
            response_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `response.create`.
    pub fn response_create(
        event_id: Option<String>,
        response: Option<RealtimeResponseCreateParams>,
    ) -> Self {
        ClientEvent::ResponseCreate {
            event_id,
            response: response.map(Box::new),
            extra: ExtraMembers::new(),
        }
    }
}

/// An event type string that is not one of the eleven GA client events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEventType(pub String);

impl fmt::Display for UnknownEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a GA client event type", self.0)
    }
}

impl std::error::Error for UnknownEventType {}

impl FromStr for RealtimeClientEvent {
    type Err = UnknownEventType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RealtimeClientEvent::from_wire(s).ok_or_else(|| UnknownEventType(s.to_owned()))
    }
}

impl fmt::Display for RealtimeClientEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RealtimeClientEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RealtimeClientEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = de::DeserializeSeed::deserialize(
            KnownTag(RealtimeClientEvent::WIRE_NAMES),
            deserializer,
        )?;
        RealtimeClientEvent::from_wire(name)
            .ok_or_else(|| de::Error::unknown_variant(name, RealtimeClientEvent::WIRE_NAMES))
    }
}
