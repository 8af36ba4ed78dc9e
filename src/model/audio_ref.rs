//! Audio borrowed from the frame.

use std::fmt;

use base64::{DecodeError, DecodeSliceError};

use super::audio_data::{self, Base64Audio};

/// The base64 audio of an `input_audio_buffer.append`, borrowed from the
/// input frame when it was plain (the common case), owned otherwise.
///
/// Decoding is an explicit step ([`AudioRef::decode`],
/// [`AudioRef::decode_into`], [`AudioRef::decode_to_slice`]), with the same
/// vector decoder as [`Base64Audio::decode`] (standard padded base64,
/// validated while decoded; see [`crate::audio_data`]). `Debug` prints the
/// length and a short prefix.
#[derive(Clone)]
pub struct AudioRef<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    /// Plain bytes found by the scanner: ASCII, so valid UTF-8.
    Plain(&'a [u8]),
    /// A string given by the caller.
    Borrowed(&'a str),
    /// A string decoded by the serde path (escapes, unusual frame shapes).
    Owned(String),
}

/// How many characters of the payload `Debug` shows.
const DEBUG_PREFIX: usize = 16;

impl<'a> AudioRef<'a> {
    /// Plain bytes from the scanner (ASCII, checked by the caller).
    pub(crate) fn plain(bytes: &'a [u8]) -> Self {
        debug_assert!(bytes.is_ascii());
        AudioRef(Repr::Plain(bytes))
    }

    /// Wraps a borrowed base64 string.
    pub fn borrowed(text: &'a str) -> Self {
        AudioRef(Repr::Borrowed(text))
    }

    /// Wraps an owned base64 string.
    pub fn owned(text: String) -> Self {
        AudioRef(Repr::Owned(text))
    }

    /// The base64 text as bytes, at no cost.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Plain(bytes) => bytes,
            Repr::Borrowed(text) => text.as_bytes(),
            Repr::Owned(text) => text.as_bytes(),
        }
    }

    /// The base64 text. For audio borrowed from a frame this checks the
    /// bytes are UTF-8 (one pass; they always are), since the scanner hands
    /// out bytes to avoid that pass on the hot path; prefer
    /// [`AudioRef::as_bytes`] when bytes will do.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Plain(bytes) => std::str::from_utf8(bytes)
                .expect("the scanner only hands out ASCII audio, which is UTF-8"),
            Repr::Borrowed(text) => text,
            Repr::Owned(text) => text,
        }
    }

    /// Length of the base64 text in bytes.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// True for empty audio.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// True when the text is borrowed (from the frame or the caller), not
    /// copied.
    pub fn is_borrowed(&self) -> bool {
        !matches!(self.0, Repr::Owned(_))
    }

    /// Decodes the audio into raw bytes (PCM for `pcm16` sessions).
    pub fn decode(&self) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        audio_data::decode_append(self.as_bytes(), &mut out)?;
        Ok(out)
    }

    /// Decodes the audio, appending the raw bytes to `out` (reuse one
    /// buffer across frames to avoid an allocation per frame). On error,
    /// `out` keeps its length.
    pub fn decode_into(&self, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        audio_data::decode_append(self.as_bytes(), out)
    }

    /// Decodes the audio into the start of `out`, a buffer the caller owns
    /// (a ring buffer, a mapped region), and returns the number of bytes
    /// written. `out` needs at most `self.len() / 4 * 3` bytes; a shorter
    /// one that cannot hold the audio is
    /// [`DecodeSliceError::OutputSliceTooSmall`].
    pub fn decode_to_slice(&self, out: &mut [u8]) -> Result<usize, DecodeSliceError> {
        audio_data::decode_to_slice(self.as_bytes(), out)
    }

    /// An owned copy as the model's audio type.
    pub fn to_base64_audio(&self) -> Base64Audio {
        Base64Audio::new(self.as_str())
    }

    /// The owned audio, copying only when borrowed.
    pub fn into_base64_audio(self) -> Base64Audio {
        match self.0 {
            Repr::Owned(text) => Base64Audio::new(text),
            _ => self.to_base64_audio(),
        }
    }
}

impl PartialEq for AudioRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for AudioRef<'_> {}

impl fmt::Debug for AudioRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.as_bytes();
        let shown = &bytes[..bytes.len().min(DEBUG_PREFIX)];
        let more = if bytes.len() > shown.len() { "…" } else { "" };
        write!(
            f,
            "AudioRef({} bytes, {:?}{more})",
            bytes.len(),
            String::from_utf8_lossy(shown)
        )
    }
}

impl<'a> From<&'a str> for AudioRef<'a> {
    fn from(text: &'a str) -> Self {
        AudioRef::borrowed(text)
    }
}

impl From<String> for AudioRef<'_> {
    fn from(text: String) -> Self {
        AudioRef::owned(text)
    }
}

impl<'a> From<&'a Base64Audio> for AudioRef<'a> {
    fn from(audio: &'a Base64Audio) -> Self {
        AudioRef::borrowed(audio.as_str())
    }
}
