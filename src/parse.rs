//! Parse and serialize entry points for whole frames.

use std::str::FromStr;

use crate::{ClientEvent, ParseError};

impl ClientEvent {
    /// Parses one frame. Errors name the JSON path, what was expected there,
    /// and the line and column; trailing non-whitespace is an error.
    pub fn from_slice(bytes: &[u8]) -> Result<ClientEvent, ParseError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let event = serde_path_to_error::deserialize(&mut de).map_err(ParseError::from_tracked)?;
        de.end().map_err(|e| ParseError::from_json("", e))?;
        Ok(event)
    }

    /// Serializes the frame to JSON bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        // Serializing model types cannot fail: every map key is a string and
        // every number is finite or integral.
        serde_json::to_vec(self).expect("client events always serialize")
    }

    /// Serializes the frame to a JSON string.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("client events always serialize")
    }
}

impl FromStr for ClientEvent {
    type Err = ParseError;

    /// Parses one frame; see [`ClientEvent::from_slice`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClientEvent::from_slice(s.as_bytes())
    }
}
