//! Audio payloads of every size from 0 bytes to 1 MiB: the base64 of random
//! bytes. Native proptest rather than `arbitrary`, whose buffers never reach
//! megabytes. Sizes shrink toward 0.

use proptest::prelude::*;
use realtime_harness::Base64Audio;

use crate::choices::Choices;

/// The largest raw payload drawn.
pub const MAX_AUDIO: usize = 1 << 20;

/// A payload and the raw length it encodes.
#[derive(Clone, Debug)]
pub struct AudioPayload {
    /// Raw (decoded) bytes.
    pub raw_len: usize,
    /// The base64 text.
    pub audio: Base64Audio,
}

/// Raw sizes spread over every scale: tiny, frame-sized, up to 1 MiB, and
/// the edges (0, base64 padding lengths, exactly 1 MiB).
pub fn audio_len() -> impl Strategy<Value = usize> {
    prop_oneof![
        2 => 0..=3usize,
        4 => 0..=4096usize,
        1 => 0..=MAX_AUDIO,
        1 => Just(MAX_AUDIO),
    ]
}

/// A payload of [`audio_len`] random bytes.
pub fn audio_payload() -> impl Strategy<Value = AudioPayload> {
    (audio_len(), any::<u64>()).prop_map(|(raw_len, seed)| AudioPayload {
        raw_len,
        audio: Base64Audio::encode(&Choices::new(seed).bytes(raw_len)),
    })
}
