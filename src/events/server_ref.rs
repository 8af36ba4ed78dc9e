//! [`ServerEventRef`]: a server event that borrows the audio of
//! `response.output_audio.delta` frames from the input, on the scanner in
//! [`crate::fast`].
//!
//! A server streams a response's audio as many deltas, from a few KiB to
//! over 64 KiB each; a client, proxy or checker that only forwards or
//! decodes them should not copy the base64 first. Delta frames of the
//! common shape (the six members the spec requires, in any order) are read
//! without serde; every other frame is parsed into the owned model. Every
//! entry point accepts and rejects exactly the frames the serde path does,
//! with the same values and the same errors; [`check_agreement`] states that
//! property for one input.

use std::borrow::Cow;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::server::{RealtimeServerEvent, ServerEvent};
use crate::error::ParseError;
use crate::fast::scan;
use crate::fast::write::{self, SmallOut};
use crate::model::audio_data::Base64Audio;
use crate::model::audio_ref::AudioRef;
use crate::wire::ExtraMembers;

/// A server event that borrows its audio from the input frame.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerEventRef<'a> {
    /// `response.output_audio.delta`: spec schema
    /// `RealtimeServerEventResponseAudioDelta`.
    ResponseOutputAudioDelta {
        /// The server-generated event id; borrowed unless it had escapes.
        event_id: Cow<'a, str>,
        /// The response the delta belongs to.
        response_id: Cow<'a, str>,
        /// The item the delta belongs to.
        item_id: Cow<'a, str>,
        /// The output item's index in the response.
        output_index: i64,
        /// The content part's index in the item.
        content_index: i64,
        /// Base64 audio in the session's output format.
        delta: AudioRef<'a>,
        /// Members the spec does not name, re-emitted as received.
        extra: ExtraMembers,
    },
    /// Any other event, in the owned model (never a
    /// `response.output_audio.delta` when produced by
    /// [`ServerEventRef::from_slice`] from a frame of the common shape).
    Other(ServerEvent),
}

impl<'a> ServerEventRef<'a> {
    /// Parses one frame, borrowing the audio of delta frames from `bytes`.
    /// Accepts and rejects exactly what [`ServerEvent::from_slice`] does,
    /// with the same errors.
    pub fn from_slice(bytes: &'a [u8]) -> Result<Self, ParseError> {
        if let Some(frame) = scan::plain_audio_delta(bytes, None) {
            return Ok(ServerEventRef::ResponseOutputAudioDelta {
                event_id: frame.event_id,
                response_id: frame.response_id,
                item_id: frame.item_id,
                output_index: frame.output_index,
                content_index: frame.content_index,
                delta: AudioRef::plain(frame.delta),
                extra: ExtraMembers::new(),
            });
        }
        ServerEvent::from_slice_serde(bytes).map(ServerEventRef::from)
    }

    /// An owned copy in the model.
    pub fn to_owned(&self) -> ServerEvent {
        self.clone().into_owned()
    }

    /// The owned event, copying only what is borrowed.
    pub fn into_owned(self) -> ServerEvent {
        match self {
            ServerEventRef::ResponseOutputAudioDelta {
                event_id,
                response_id,
                item_id,
                output_index,
                content_index,
                delta,
                extra,
            } => ServerEvent::ResponseOutputAudioDelta {
                event_id: event_id.into_owned(),
                response_id: response_id.into_owned(),
                item_id: item_id.into_owned(),
                output_index,
                content_index,
                delta: delta.into_base64_audio(),
                extra,
            },
            ServerEventRef::Other(event) => event,
        }
    }

    /// The GA event type, or `None` for [`ServerEvent::Unknown`].
    pub fn to_event_type(&self) -> Option<RealtimeServerEvent> {
        match self {
            ServerEventRef::ResponseOutputAudioDelta { .. } => {
                Some(RealtimeServerEvent::ResponseOutputAudioDelta)
            }
            ServerEventRef::Other(event) => event.to_event_type(),
        }
    }

    /// The `type` the frame carries on the wire.
    pub fn wire_type(&self) -> &str {
        match self {
            ServerEventRef::ResponseOutputAudioDelta { .. } => {
                RealtimeServerEvent::ResponseOutputAudioDelta.as_str()
            }
            ServerEventRef::Other(event) => event.wire_type(),
        }
    }

    /// The `event_id`, if the event has one.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            ServerEventRef::ResponseOutputAudioDelta { event_id, .. } => Some(event_id),
            ServerEventRef::Other(event) => event.event_id(),
        }
    }

    /// The audio of a `response.output_audio.delta`; decode it with
    /// [`AudioRef::decode`].
    pub fn audio(&self) -> Option<&AudioRef<'a>> {
        match self {
            ServerEventRef::ResponseOutputAudioDelta { delta, .. } => Some(delta),
            ServerEventRef::Other(_) => None,
        }
    }

    /// Serializes the frame to JSON bytes, the same bytes
    /// [`ServerEvent::to_vec`] writes for [`ServerEventRef::to_owned`].
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            ServerEventRef::ResponseOutputAudioDelta {
                event_id,
                response_id,
                item_id,
                output_index,
                content_index,
                delta,
                extra,
            } => delta_frame(
                event_id,
                response_id,
                item_id,
                *output_index,
                *content_index,
                delta.as_bytes(),
                extra,
            )
            .unwrap_or_else(|| serde_json::to_vec(self).expect("server events always serialize")),
            ServerEventRef::Other(event) => event.to_vec(),
        }
    }
}

/// The bytes serde_json writes for a `response.output_audio.delta`, written
/// directly when the audio is plain and there are no unknown members.
pub(crate) fn delta_frame(
    event_id: &str,
    response_id: &str,
    item_id: &str,
    output_index: i64,
    content_index: i64,
    delta: &[u8],
    extra: &ExtraMembers,
) -> Option<Vec<u8>> {
    write::frame(
        RealtimeServerEvent::ResponseOutputAudioDelta.as_str(),
        &[
            ("event_id", Some(SmallOut::Str(event_id))),
            ("response_id", Some(SmallOut::Str(response_id))),
            ("item_id", Some(SmallOut::Str(item_id))),
            ("output_index", Some(SmallOut::Int(output_index))),
            ("content_index", Some(SmallOut::Int(content_index))),
        ],
        "delta",
        delta,
        extra,
    )
}

/// [`ServerEvent::to_vec`]'s bytes for an audio delta, written directly
/// when [`delta_frame`] can; `None` for any other event.
pub(crate) fn owned_delta_frame(event: &ServerEvent) -> Option<Vec<u8>> {
    match event {
        ServerEvent::ResponseOutputAudioDelta {
            event_id,
            response_id,
            item_id,
            output_index,
            content_index,
            delta,
            extra,
        } => delta_frame(
            event_id,
            response_id,
            item_id,
            *output_index,
            *content_index,
            delta.as_bytes(),
            extra,
        ),
        _ => None,
    }
}

/// The owned event of a delta frame of the common shape, `None` for any
/// other frame. The scanner copies the audio while it checks it: one pass
/// over the frame and one copy.
pub(crate) fn owned_delta(bytes: &[u8]) -> Option<ServerEvent> {
    let mut delta = String::new();
    let frame = scan::plain_audio_delta(bytes, Some(&mut delta))?;
    Some(ServerEvent::ResponseOutputAudioDelta {
        event_id: frame.event_id.into_owned(),
        response_id: frame.response_id.into_owned(),
        item_id: frame.item_id.into_owned(),
        output_index: frame.output_index,
        content_index: frame.content_index,
        delta: Base64Audio::new(delta),
        extra: ExtraMembers::new(),
    })
}

impl From<ServerEvent> for ServerEventRef<'_> {
    fn from(event: ServerEvent) -> Self {
        match event {
            ServerEvent::ResponseOutputAudioDelta {
                event_id,
                response_id,
                item_id,
                output_index,
                content_index,
                delta,
                extra,
            } => ServerEventRef::ResponseOutputAudioDelta {
                event_id: Cow::Owned(event_id),
                response_id: Cow::Owned(response_id),
                item_id: Cow::Owned(item_id),
                output_index,
                content_index,
                delta: AudioRef::owned(delta.into_string()),
                extra,
            },
            other => ServerEventRef::Other(other),
        }
    }
}

impl Serialize for ServerEventRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ServerEventRef::ResponseOutputAudioDelta {
                event_id,
                response_id,
                item_id,
                output_index,
                content_index,
                delta,
                extra,
            } => {
                // The member order of `ServerEvent`'s serialization.
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry(
                    "type",
                    RealtimeServerEvent::ResponseOutputAudioDelta.as_str(),
                )?;
                map.serialize_entry("event_id", event_id)?;
                map.serialize_entry("response_id", response_id)?;
                map.serialize_entry("item_id", item_id)?;
                map.serialize_entry("output_index", output_index)?;
                map.serialize_entry("content_index", content_index)?;
                map.serialize_entry("delta", delta.as_str())?;
                for (k, v) in extra.iter() {
                    map.serialize_entry(&*k, v)?;
                }
                map.end()
            }
            ServerEventRef::Other(event) => event.serialize(serializer),
        }
    }
}

/// Parses `bytes` with every server entry point and checks each agrees with
/// the serde path: [`ServerEvent::from_slice`] and
/// [`ServerEventRef::from_slice`] give the same event or the same error,
/// and when the frame parses, [`ServerEvent::to_vec`],
/// [`ServerEventRef::to_vec`] and `ServerEventRef`'s `Serialize` write
/// serde_json's bytes. The body of the `server_event_ref_agrees` fuzz target
/// and of its property test; the error describes the first disagreement.
pub fn check_agreement(bytes: &[u8]) -> Result<(), String> {
    super::agreement::check_agreement::<ServerEvent>(bytes)
}

super::agreement::entry_points!(ServerEvent, ServerEventRef);
