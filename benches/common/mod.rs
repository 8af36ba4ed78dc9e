//! Frames shared by the benchmarks: random audio from a fixed seed (the
//! crate's [`SplitMix64`], the same bytes on every run), encoded as clients
//! send it.

#![allow(dead_code)] // each bench binary uses a different part

use base64::Engine as _;
use realtime_harness::rng::SplitMix64;

/// Audio sizes benchmarked (decoded bytes): the spec allows up to 15 MiB.
pub const SIZES: &[(&str, usize)] = &[
    ("1KiB", 1 << 10),
    ("64KiB", 64 << 10),
    ("1MiB", 1 << 20),
    ("15MiB", 15 << 20),
];

/// The `event_id` every benchmarked append frame carries.
pub const EVENT_ID: &str = "event_bench_000001";

/// Random audio bytes of `len`, the same for a given `len` on every run.
pub fn audio_bytes(len: usize) -> Vec<u8> {
    SplitMix64::new(0x5eed ^ len as u64).bytes(len)
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

/// `(VmRSS, VmHWM)` of this process in bytes (Linux: `/proc/self/status`).
pub fn resident() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kib| kib * 1024)
            .unwrap_or_else(|| panic!("{name} missing from /proc/self/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the resident-set high-water mark to the current resident set
/// ("5", see proc(5)), so a peak read after it is the following work's own.
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM via /proc/self/clear_refs");
}

/// Runs this benchmark binary again with `args`, in a fresh process whose
/// freed pages no earlier work left behind, and returns the two numbers it
/// prints: the resident set before its work and the peak during it.
pub fn peak_in_child<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (u64, u64) {
    let exe = std::env::current_exe().expect("own path");
    let out = std::process::Command::new(exe)
        .args(args)
        .output()
        .expect("run the measuring process");
    let shown: Vec<&std::ffi::OsStr> = args.iter().map(AsRef::as_ref).collect();
    assert!(
        out.status.success(),
        "{shown:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<u64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let [before, peak] = numbers[..] else {
        panic!("{shown:?}: unexpected output {text:?}");
    };
    (before, peak)
}

/// Sample counts and times for one audio size's group, shared by the audio
/// benches so their figures are taken alike, and chosen to keep the whole
/// run near a quarter of an hour on two cores: small frames get many
/// samples, 15 MiB frames (milliseconds per parse for serde) few.
pub fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    audio_len: usize,
) {
    use std::time::Duration;
    group.warm_up_time(Duration::from_millis(500));
    if audio_len >= 8 << 20 {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(2))
            .sampling_mode(criterion::SamplingMode::Flat);
    } else if audio_len >= 1 << 20 {
        group
            .sample_size(20)
            .measurement_time(Duration::from_millis(1500));
    } else {
        group
            .sample_size(40)
            .measurement_time(Duration::from_secs(1));
    }
}

/// Criterion as the audio benches run it: fewer bootstrap resamples than the
/// default, since the report quotes medians.
pub fn criterion() -> criterion::Criterion {
    criterion::Criterion::default()
        .nresamples(20_000)
        .configure_from_args()
}
