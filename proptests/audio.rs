//! Audio payloads of every size from 0 bytes to 1 MiB: the base64 of random
//! bytes. Native proptest rather than `arbitrary`, whose buffers never reach
//! megabytes. Sizes shrink toward 0.

use proptest::prelude::*;
use realtime_harness::Base64Audio;

use realtime_harness::rng::SplitMix64;

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

/// Raw sizes spread over every scale up to `max`: tiny, frame-sized, any,
/// and the edges (0, the base64 padding lengths, exactly `max`).
pub fn audio_len_up_to(max: usize) -> impl Strategy<Value = usize> {
    prop_oneof![
        2 => 0..=3usize,
        4 => 0..=4096usize.min(max),
        1 => 0..=max,
        1 => Just(max),
    ]
}

/// A payload of [`audio_len_up_to`] [`MAX_AUDIO`] random bytes.
pub fn audio_payload() -> impl Strategy<Value = AudioPayload> {
    audio_payload_up_to(MAX_AUDIO)
}

/// A payload of [`audio_len_up_to`] `max` random bytes.
pub fn audio_payload_up_to(max: usize) -> impl Strategy<Value = AudioPayload> {
    (audio_len_up_to(max), any::<u64>()).prop_map(|(raw_len, seed)| AudioPayload {
        raw_len,
        audio: Base64Audio::encode(&SplitMix64::new(seed).bytes(raw_len)),
    })
}
