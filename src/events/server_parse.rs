//! Parse and serialize entry points for whole server frames.

use std::str::FromStr;

use super::server::ServerEvent;
use super::server_ref::{delta_frame, owned_delta};
use crate::error::ParseError;

impl ServerEvent {
    /// Parses one frame. Errors name the JSON path, what was expected there,
    /// and the line and column; trailing non-whitespace is an error.
    ///
    /// `response.output_audio.delta` frames of the common shape are read by
    /// the scanner in [`crate::fast`] (one vectorized pass over the audio);
    /// every other frame takes the serde path. Both give the same event, and
    /// the scanner never rejects: results and errors are those of
    /// [`ServerEvent::from_slice_serde`].
    pub fn from_slice(bytes: &[u8]) -> Result<ServerEvent, ParseError> {
        if let Some(event) = owned_delta(bytes) {
            return Ok(event);
        }
        Self::from_slice_serde(bytes)
    }

    /// Parses one frame with the general serde path alone: the definition
    /// [`ServerEvent::from_slice`] and [`crate::ServerEventRef::from_slice`]
    /// agree with, kept public for tests, fuzzing and benchmarks.
    pub fn from_slice_serde(bytes: &[u8]) -> Result<ServerEvent, ParseError> {
        super::parse_tracked(bytes)
    }

    /// Serializes the frame to JSON bytes: serde_json's bytes, written
    /// directly for audio deltas whose audio needs no escaping.
    pub fn to_vec(&self) -> Vec<u8> {
        if let ServerEvent::ResponseOutputAudioDelta {
            event_id,
            response_id,
            item_id,
            output_index,
            content_index,
            delta,
            extra,
        } = self
        {
            if let Some(out) = delta_frame(
                event_id,
                response_id,
                item_id,
                *output_index,
                *content_index,
                delta.as_bytes(),
                extra,
            ) {
                return out;
            }
        }
        // Serializing model types cannot fail: every map key is a string and
        // every number is finite or integral.
        serde_json::to_vec(self).expect("server events always serialize")
    }

    /// Serializes the frame to a JSON string.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("server events always serialize")
    }
}

impl FromStr for ServerEvent {
    type Err = ParseError;

    /// Parses one frame; see [`ServerEvent::from_slice`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ServerEvent::from_slice(s.as_bytes())
    }
}
