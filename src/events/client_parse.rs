//! Parse and serialize entry points for whole frames.

use std::borrow::Cow;

use super::client::ClientEvent;
use crate::error::ParseError;
use crate::model::audio_data::Base64Audio;
use crate::wire::ExtraMembers;

impl ClientEvent {
    /// Parses one frame. Errors name the JSON path, what was expected there,
    /// and the line and column; trailing non-whitespace is an error.
    ///
    /// `input_audio_buffer.append` frames of the common shape are read by a
    /// scanner that finds and checks the audio in one vectorized pass (see
    /// [`crate::fast`]); every other frame takes the serde path. Both give
    /// the same event, and the scanner never rejects: what it does not read,
    /// serde reads or rejects, so results and errors are those of
    /// [`ClientEvent::from_slice_serde`].
    pub fn from_slice(bytes: &[u8]) -> Result<ClientEvent, ParseError> {
        if let Some((event, _)) = owned_append(bytes) {
            return Ok(event);
        }
        Self::from_slice_serde(bytes)
    }

    /// Parses one frame with the general serde path alone (serde_json with
    /// path tracking into the model), without the fast scanner: the
    /// definition [`ClientEvent::from_slice`] and
    /// [`crate::ClientEventRef::from_slice`] agree with, kept public for
    /// tests, fuzzing and benchmarks.
    pub fn from_slice_serde(bytes: &[u8]) -> Result<ClientEvent, ParseError> {
        super::parse_tracked(bytes)
    }
}

/// The owned event of an `input_audio_buffer.append` frame of the common
/// shape, and whether its `event_id` was an explicit `null` (which the model
/// reads as absent); `None` for any other frame. The scanner copies the
/// audio while it checks it: one pass over the frame and one copy, near the
/// cost of a `memcpy` of the frame.
pub(crate) fn owned_append(bytes: &[u8]) -> Option<(ClientEvent, bool)> {
    let mut audio = String::new();
    let frame = crate::fast::scan::plain_append(bytes, Some(&mut audio))?;
    let event = ClientEvent::InputAudioBufferAppend {
        event_id: frame.event_id.map(Cow::into_owned),
        audio: Base64Audio::new(audio),
        extra: ExtraMembers::new(),
    };
    Some((event, frame.event_id_null))
}

frame_text!(
    ClientEvent,
    "client",
    super::client_ref::owned_append_frame,
    "written directly for append events whose audio needs no escaping"
);
