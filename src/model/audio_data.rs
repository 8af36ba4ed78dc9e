//! Base64 audio payloads (`input_audio_buffer.append` `audio`, and the `audio`
//! of message content parts).

use std::fmt;
use std::ops::Deref;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::shape::{Describe, Shape};

/// Base64-encoded audio as sent on the wire, up to 15 MiB decoded.
///
/// Kept as the wire string: decoding is an explicit step ([`Base64Audio::decode`]),
/// so a proxy pays nothing for audio it only forwards. `Debug` prints the
/// length and a short prefix, never the payload: frames carry megabytes.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Audio(String);

/// How many characters of the payload `Debug` shows.
const DEBUG_PREFIX_CHARS: usize = 16;

impl Base64Audio {
    /// Wraps a base64 string as received (not checked here; the conformance
    /// checker validates it).
    pub fn new(encoded: impl Into<String>) -> Self {
        Base64Audio(encoded.into())
    }

    /// Encodes raw audio bytes (standard alphabet, padded).
    pub fn encode(bytes: &[u8]) -> Self {
        Base64Audio(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Decodes the payload into raw audio bytes.
    pub fn decode(&self) -> Result<Vec<u8>, base64::DecodeError> {
        base64::engine::general_purpose::STANDARD.decode(self.0.as_bytes())
    }

    /// The base64 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The base64 text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Describe for Base64Audio {
    fn shape() -> Shape {
        Shape::Base64
    }
}

impl Deref for Base64Audio {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Base64Audio {
    fn from(s: String) -> Self {
        Base64Audio(s)
    }
}

impl From<&str> for Base64Audio {
    fn from(s: &str) -> Self {
        Base64Audio(s.to_owned())
    }
}

impl PartialEq<str> for Base64Audio {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Base64Audio {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Debug for Base64Audio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: String = self.0.chars().take(DEBUG_PREFIX_CHARS).collect();
        let more = if self.0.len() > prefix.len() {
            "…"
        } else {
            ""
        };
        write!(f, "Base64Audio({} bytes, {prefix:?}{more})", self.0.len())
    }
}

impl Serialize for Base64Audio {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Base64Audio {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Base64Audio)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Base64Audio {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // Any bytes are valid audio; the wire form is always their base64.
        let bytes: &[u8] = u.arbitrary()?;
        Ok(Base64Audio::encode(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_bounded_and_shows_length() {
        let audio = Base64Audio::encode(&vec![7u8; 3 * 1024 * 1024]);
        let text = format!("{audio:?}");
        assert!(text.len() < 80, "{text}");
        assert!(text.contains(&audio.len().to_string()), "{text}");
    }

    #[test]
    fn encode_decode_round_trip() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        assert_eq!(Base64Audio::encode(&bytes).decode().unwrap(), bytes);
    }
}
