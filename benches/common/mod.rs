//! Frames shared by the benchmarks: random audio from a fixed seed, encoded
//! as clients send it.

#![allow(dead_code)] // each bench binary uses a different part

use base64::Engine as _;

/// Audio sizes benchmarked (decoded bytes): the spec allows up to 15 MiB.
pub const SIZES: &[(&str, usize)] = &[
    ("1KiB", 1 << 10),
    ("64KiB", 64 << 10),
    ("1MiB", 1 << 20),
    ("15MiB", 15 << 20),
];

/// The `event_id` every benchmarked append frame carries.
pub const EVENT_ID: &str = "event_bench_000001";

/// A deterministic generator (SplitMix64): random audio without a
/// dependency, the same bytes on every run.
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = vec![0; len];
        self.fill(&mut out);
        out
    }
}

/// Random audio bytes of `len`, the same for a given `len` on every run.
pub fn audio_bytes(len: usize) -> Vec<u8> {
    SplitMix::new(0x5eed ^ len as u64).bytes(len)
}

pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Where `type` stands in the frame.
#[derive(Clone, Copy, Debug)]
pub enum TypeAt {
    First,
    Last,
}

impl TypeAt {
    pub const BOTH: [TypeAt; 2] = [TypeAt::First, TypeAt::Last];

    pub fn label(self) -> &'static str {
        match self {
            TypeAt::First => "type_first",
            TypeAt::Last => "type_last",
        }
    }
}

/// An `input_audio_buffer.append` frame, compact, as clients send it.
pub fn append_frame(audio_b64: &str, at: TypeAt) -> Vec<u8> {
    match at {
        TypeAt::First => format!(
            r#"{{"type":"input_audio_buffer.append","event_id":"{EVENT_ID}","audio":"{audio_b64}"}}"#
        ),
        TypeAt::Last => format!(
            r#"{{"event_id":"{EVENT_ID}","audio":"{audio_b64}","type":"input_audio_buffer.append"}}"#
        ),
    }
    .into_bytes()
}
