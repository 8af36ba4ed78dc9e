//! The fast path for one large base64 member: a scanner that finds and
//! checks it in one vectorized pass, and a writer that copies it out
//! unescaped. It knows the wire (bytes, member names), not the model.
//!
//! A Realtime client streams audio as `input_audio_buffer.append` frames
//! of up to 15 MiB of audio, about 20 MiB of JSON. serde_json reads a
//! string one byte at a time, which caps any serde-based parser near
//! 6 GiB/s. Base64 has no quote, backslash or control byte, so the end of
//! the audio string can be found and its content checked in one pass that
//! the compiler vectorizes, with AVX2 where the CPU has it. The pass accepts
//! *plain* bytes, `#`..=`~` except the backslash: a superset of the base64
//! alphabet, and a string of them means exactly its bytes.
//!
//! The scanner reads the common frame shape (`type`, `audio` and an optional
//! `event_id`, in any order, with any JSON whitespace) and gives up on
//! anything else: escapes in the audio, other members, repeated members,
//! other event types, malformed input. Those frames take the general serde
//! path, which also produces the error for frames it rejects, so the event
//! families' entry points built on it accept and reject exactly what the
//! serde path does.

pub(crate) mod plain;
pub(crate) mod scan;
pub(crate) mod write;

// The zero-copy audio type was first published under `realtime_harness::fast`.
// `ClientEventRef` lives at the crate root and `check_agreement` beside it in
// `events::client_ref`: re-exporting them here made this layer look up.
pub use crate::model::audio_ref::AudioRef;
