//! Base64 audio payloads (`input_audio_buffer.append` `audio`, and the `audio`
//! of message content parts), and the base64 codec every audio type uses.
//!
//! The wire form is standard padded base64 (RFC 4648 section 4: alphabet
//! `A-Z a-z 0-9 + /`, `=` padding to a multiple of four, zero trailing
//! bits). Decoding and encoding run on `base64-simd`, which picks the widest
//! vector unit the CPU has at run time (AVX2 on x86-64, a scalar loop where
//! there is none) and validates while it decodes. It accepts exactly what the
//! scalar decoder of the `base64` crate (`STANDARD`) accepts, the decoder this
//! crate used before (`tests/base64_codec.rs` holds both to that); when it
//! rejects, the scalar decoder runs on the same text to say where and why, so
//! errors keep `base64`'s positions.

use std::fmt;
use std::ops::Deref;

use base64::Engine as _;
use base64::{DecodeError, DecodeSliceError};
use base64_simd::AsOut as _;
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

    /// Encodes raw audio bytes (standard alphabet, padded), with the widest
    /// vector unit the CPU has.
    pub fn encode(bytes: &[u8]) -> Self {
        Base64Audio(base64_simd::STANDARD.encode_to_string(bytes))
    }

    /// Decodes the payload into raw audio bytes, validating as it goes.
    pub fn decode(&self) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        decode_append(self.0.as_bytes(), &mut out)?;
        Ok(out)
    }

    /// Decodes the payload, appending the raw bytes to `out` (reuse one
    /// buffer across frames to avoid an allocation per frame). On error,
    /// `out` keeps its length.
    pub fn decode_into(&self, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        decode_append(self.0.as_bytes(), out)
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

/// The scalar decoder: the definition of what decodes, and the one that
/// says why a text does not.
const SCALAR: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Decodes standard padded base64 `text`, appending the bytes to `out`; on
/// error `out` keeps its length.
pub(crate) fn decode_append(text: &[u8], out: &mut Vec<u8>) -> Result<(), DecodeError> {
    if base64_simd::STANDARD.decode_append(text, out).is_ok() {
        return Ok(());
    }
    // Rejected (the vector decoder leaves `out` as it was): the scalar
    // decoder decides, and its error says where.
    let len = out.len();
    SCALAR
        .decode_vec(text, out)
        .inspect_err(|_| out.truncate(len))
}

/// Decodes standard padded base64 `text` into the start of `out`, returning
/// the number of bytes written; `out` needs `text.len() / 4 * 3` bytes at
/// most.
pub(crate) fn decode_to_slice(text: &[u8], out: &mut [u8]) -> Result<usize, DecodeSliceError> {
    // The vector decoder panics on a short buffer: it only gets one that fits.
    let fits = base64_simd::STANDARD
        .decoded_length(text)
        .ok()
        .and_then(|len| out.get_mut(..len));
    if let Some(fits) = fits {
        if let Ok(decoded) = base64_simd::STANDARD.decode(text, fits.as_out()) {
            return Ok(decoded.len());
        }
    }
    // Rejected, or too short a buffer: the scalar decoder decides and says
    // why.
    SCALAR.decode_slice(text, out)
}

/// True when `text` is standard padded base64, checked by the vector pass
/// the decoder validates with (the conformance checker's fast path).
pub(crate) fn is_base64(text: &[u8]) -> bool {
    base64_simd::STANDARD.check(text).is_ok()
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
