//! Parse and serialize entry points for whole server frames.

use std::str::FromStr;

use super::server::ServerEvent;
use crate::error::ParseError;

impl ServerEvent {
    /// Parses one frame. Errors name the JSON path, what was expected there,
    /// and the line and column; trailing non-whitespace is an error.
    pub fn from_slice(bytes: &[u8]) -> Result<ServerEvent, ParseError> {
        super::parse_tracked(bytes)
    }

    /// Serializes the frame to JSON bytes.
    pub fn to_vec(&self) -> Vec<u8> {
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
