//! Parse and serialize entry points for whole server frames.

use super::server::ServerEvent;
use super::server_ref::{owned_delta, owned_delta_frame};
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
}

frame_text!(
    ServerEvent,
    "server",
    owned_delta_frame,
    "written directly for audio deltas whose audio needs no escaping"
);
