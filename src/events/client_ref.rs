//! [`ClientEventRef`]: a client event that borrows the audio of
//! `input_audio_buffer.append` frames from the input, on the scanner in
//! [`crate::fast`].
//!
//! It borrows the audio (and an unescaped `event_id`) of append frames of the
//! common shape; every other frame is parsed into the owned model: those
//! frames are small or rare, and the owned model is the one source of truth
//! for their members. Every entry point accepts and rejects exactly the
//! frames the serde path ([`ClientEvent::from_slice_serde`]) does, with the
//! same values and the same errors; [`check_agreement`] states that property
//! for one input, and the property tests (`tests/fast_path.rs`) and the
//! `client_event_ref_agrees` fuzz target run it.

use std::borrow::Cow;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::client::{ClientEvent, RealtimeClientEvent};
use crate::error::ParseError;
use crate::fast::{scan, write};
use crate::model::audio_ref::AudioRef;
use crate::wire::ExtraMembers;

/// A client event that borrows its audio from the input frame.
///
/// `input_audio_buffer.append` frames of the common shape are read without
/// serde and without copying the audio; any other frame is parsed into the
/// owned [`ClientEvent`] ([`ClientEventRef::Other`]). An append frame the
/// scanner leaves to serde (escapes in the audio, unknown members, ...) is
/// still returned as [`ClientEventRef::InputAudioBufferAppend`], with owned
/// strings.
///
/// ```
/// use realtime_harness::ClientEventRef;
///
/// let frame = br#"{"type":"input_audio_buffer.append","event_id":"evt_7","audio":"AAAAAAAA"}"#;
/// let event = ClientEventRef::from_slice(frame)?;
/// let audio = event.audio().expect("an append frame");
/// assert!(audio.is_borrowed()); // points into `frame`: no copy of the audio
/// assert_eq!(audio.decode().unwrap(), [0u8; 6]);
/// assert_eq!(event.event_id(), Some("evt_7"));
/// assert_eq!(event.to_vec(), frame.to_vec());
///
/// // Every other frame is parsed into the owned model.
/// let other = ClientEventRef::from_slice(br#"{"type":"response.cancel"}"#)?;
/// assert!(matches!(other, ClientEventRef::Other(_)));
/// # Ok::<(), realtime_harness::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum ClientEventRef<'a> {
    /// `input_audio_buffer.append`: spec schema
    /// `RealtimeClientEventInputAudioBufferAppend`.
    InputAudioBufferAppend {
        /// Optional client-generated id; borrowed unless it had escapes.
        event_id: Option<Cow<'a, str>>,
        /// Base64 audio in the session's input format.
        audio: AudioRef<'a>,
        /// Members the spec does not name, re-emitted as received.
        extra: ExtraMembers,
    },
    /// Any other event, in the owned model (never an
    /// `input_audio_buffer.append` when produced by
    /// [`ClientEventRef::from_slice`]).
    Other(ClientEvent),
}

impl<'a> ClientEventRef<'a> {
    /// Parses one frame, borrowing the audio of append frames from `bytes`.
    /// Accepts and rejects exactly what [`ClientEvent::from_slice`] does,
    /// with the same errors.
    pub fn from_slice(bytes: &'a [u8]) -> Result<Self, ParseError> {
        if let Some(frame) = scan::plain_append(bytes, None) {
            return Ok(ClientEventRef::InputAudioBufferAppend {
                event_id: frame.event_id,
                audio: AudioRef::plain(frame.audio),
                extra: ExtraMembers::new(),
            });
        }
        ClientEvent::from_slice_serde(bytes).map(ClientEventRef::from)
    }

    /// An owned copy in the model.
    pub fn to_owned(&self) -> ClientEvent {
        self.clone().into_owned()
    }

    /// The owned event, copying only what is borrowed.
    pub fn into_owned(self) -> ClientEvent {
        match self {
            ClientEventRef::InputAudioBufferAppend {
                event_id,
                audio,
                extra,
            } => ClientEvent::InputAudioBufferAppend {
                event_id: event_id.map(Cow::into_owned),
                audio: audio.into_base64_audio(),
                extra,
            },
            ClientEventRef::Other(event) => event,
        }
    }

    /// The GA event type, or `None` for [`ClientEvent::Unknown`].
    pub fn to_event_type(&self) -> Option<RealtimeClientEvent> {
        match self {
            ClientEventRef::InputAudioBufferAppend { .. } => {
                Some(RealtimeClientEvent::InputAudioBufferAppend)
            }
            ClientEventRef::Other(event) => event.to_event_type(),
        }
    }

    /// The event type string; `"unknown"` for [`ClientEvent::Unknown`] (see
    /// [`ClientEvent::event_type`]).
    pub fn event_type(&self) -> &str {
        match self {
            ClientEventRef::InputAudioBufferAppend { .. } => {
                RealtimeClientEvent::InputAudioBufferAppend.as_str()
            }
            ClientEventRef::Other(event) => event.event_type(),
        }
    }

    /// The `type` the frame carries on the wire.
    pub fn wire_type(&self) -> &str {
        match self {
            ClientEventRef::InputAudioBufferAppend { .. } => self.event_type(),
            ClientEventRef::Other(event) => event.wire_type(),
        }
    }

    /// The `event_id`, if the event has one.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            ClientEventRef::InputAudioBufferAppend { event_id, .. } => event_id.as_deref(),
            ClientEventRef::Other(event) => event.event_id(),
        }
    }

    /// The audio of an `input_audio_buffer.append`; decode it with
    /// [`AudioRef::decode`].
    pub fn audio(&self) -> Option<&AudioRef<'a>> {
        match self {
            ClientEventRef::InputAudioBufferAppend { audio, .. } => Some(audio),
            ClientEventRef::Other(_) => None,
        }
    }

    /// Serializes the frame to JSON bytes, the same bytes
    /// [`ClientEvent::to_vec`] writes for [`ClientEventRef::to_owned`].
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            ClientEventRef::InputAudioBufferAppend {
                event_id,
                audio,
                extra,
            } => write::append_frame(event_id.as_deref(), audio.as_bytes(), extra).unwrap_or_else(
                || serde_json::to_vec(self).expect("client events always serialize"),
            ),
            ClientEventRef::Other(event) => event.to_vec(),
        }
    }
}

/// [`ClientEvent::to_vec`]'s bytes for an append, written directly when
/// [`write::append_frame`] can; `None` for any other event.
pub(crate) fn owned_append_frame(event: &ClientEvent) -> Option<Vec<u8>> {
    match event {
        ClientEvent::InputAudioBufferAppend {
            event_id,
            audio,
            extra,
        } => write::append_frame(event_id.as_deref(), audio.as_bytes(), extra),
        _ => None,
    }
}

impl From<ClientEvent> for ClientEventRef<'_> {
    fn from(event: ClientEvent) -> Self {
        match event {
            ClientEvent::InputAudioBufferAppend {
                event_id,
                audio,
                extra,
            } => ClientEventRef::InputAudioBufferAppend {
                event_id: event_id.map(Cow::Owned),
                audio: AudioRef::owned(audio.into_string()),
                extra,
            },
            other => ClientEventRef::Other(other),
        }
    }
}

impl Serialize for ClientEventRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ClientEventRef::InputAudioBufferAppend {
                event_id,
                audio,
                extra,
            } => {
                // The member order of `ClientEvent`'s serialization.
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("type", RealtimeClientEvent::InputAudioBufferAppend.as_str())?;
                if let Some(id) = event_id {
                    map.serialize_entry("event_id", id)?;
                }
                map.serialize_entry("audio", audio.as_str())?;
                for (k, v) in extra.iter() {
                    map.serialize_entry(&*k, v)?;
                }
                map.end()
            }
            ClientEventRef::Other(event) => event.serialize(serializer),
        }
    }
}

/// Parses `bytes` with every entry point and checks each agrees with the
/// serde path: [`ClientEvent::from_slice`] and [`ClientEventRef::from_slice`]
/// give the same event or the same error, and when the frame parses,
/// [`ClientEvent::to_vec`] and [`ClientEventRef::to_vec`] write serde_json's
/// bytes. The body of the `fast_path` property tests, and meant as the body
/// of a fuzz target; the error describes the first disagreement.
pub fn check_agreement(bytes: &[u8]) -> Result<(), String> {
    super::agreement::check_agreement::<ClientEvent>(bytes)
}

super::agreement::entry_points!(ClientEvent, ClientEventRef);
