//! Peak memory while parsing one frame of 15 MiB of audio (about 20 MiB of
//! JSON): how much resident memory each parser adds on top of the frame.
//!
//! Each contestant runs in a fresh process (this binary re-run with
//! `--measure <contestant>`), so no parser inherits another's freed pages.
//! The process builds the frame in place (no second copy), resets the
//! kernel's resident-set high-water mark (`/proc/self/clear_refs`), parses,
//! and reads the high-water mark (`VmHWM`) while the parsed event is alive.
//! The figure is that peak minus the resident set just before parsing.
//! Linux only. Results go to stdout and `target/bench-report/peak_memory.json`.
//!
//! ```text
//! cargo bench --bench peak_memory
//! ```

mod common;

use std::hint::black_box;

use base64::Engine as _;
use common::{resident, EVENT_ID};
use realtime_harness::rng::SplitMix64;
use realtime_harness::{ClientEvent, ClientEventRef};
use serde_json::Value;

type SeedEvent = openai_protocol::realtime_events::ClientEvent;

/// Audio bytes in the frame: the spec's maximum.
const AUDIO_LEN: usize = 15 << 20;

/// The zero-copy parse may add at most this much (the target).
const ZERO_COPY_BUDGET: u64 = 1 << 20;

const CONTESTANTS: &[&str] = &[
    "zero_copy",
    "owned",
    "serde_model",
    "serde_value",
    "openai_protocol",
];

/// The frame, built directly into its final buffer: random audio encoded
/// 3 KiB at a time (a multiple of 3, so the pieces join without padding).
fn build_frame() -> Vec<u8> {
    let engine = &base64::engine::general_purpose::STANDARD;
    let head = format!(r#"{{"type":"input_audio_buffer.append","event_id":"{EVENT_ID}","audio":""#);
    let tail = r#""}"#;
    let encoded_len = AUDIO_LEN.div_ceil(3) * 4;
    let mut frame = String::with_capacity(head.len() + encoded_len + tail.len());
    frame.push_str(&head);
    let mut rng = SplitMix64::new(0x5eed ^ AUDIO_LEN as u64);
    let mut chunk = [0u8; 3 * 1024];
    let mut left = AUDIO_LEN;
    while left > 0 {
        let piece = &mut chunk[..left.min(3 * 1024)];
        rng.fill(piece);
        engine.encode_string(&*piece, &mut frame);
        left -= piece.len();
    }
    frame.push_str(tail);
    assert_eq!(
        frame.capacity(),
        frame.len(),
        "the frame was built in place"
    );
    frame.into_bytes()
}

/// Parses with `contestant`, checks the result, and returns the bytes of
/// resident memory the parse added at its peak.
fn measure(contestant: &str) -> (u64, u64) {
    let frame = build_frame();
    let audio_start = frame.len() - AUDIO_LEN.div_ceil(3) * 4 - 2;
    let audio = &frame[audio_start..frame.len() - 2];
    // The peak read below is the parse's own.
    common::reset_peak();
    let (before, _) = resident();
    // Each arm reads the peak while its parsed value is still alive.
    let outcome: Result<(u64, bool), String> = match contestant {
        "zero_copy" => ClientEventRef::from_slice(black_box(&frame))
            .map_err(|e| e.to_string())
            .map(|event| {
                let peak = resident().1;
                let right = event
                    .audio()
                    .is_some_and(|a| a.is_borrowed() && a.as_bytes() == audio);
                (peak, right)
            }),
        "owned" => ClientEvent::from_slice(black_box(&frame))
            .map_err(|e| e.to_string())
            .map(|event| (resident().1, event.event_id().as_deref() == Some(EVENT_ID))),
        "serde_model" => serde_json::from_slice::<ClientEvent>(black_box(&frame))
            .map_err(|e| e.to_string())
            .map(|event| (resident().1, event.event_id().as_deref() == Some(EVENT_ID))),
        "serde_value" => serde_json::from_slice::<Value>(black_box(&frame))
            .map_err(|e| e.to_string())
            .map(|value| {
                let right = value["audio"].as_str().map(str::as_bytes) == Some(audio);
                (resident().1, right)
            }),
        "openai_protocol" => serde_json::from_slice::<SeedEvent>(black_box(&frame))
            .map_err(|e| e.to_string())
            .map(|event| {
                let right = matches!(&event,
                    SeedEvent::InputAudioBufferAppend { audio: a, .. } if a.as_bytes() == audio);
                (resident().1, right)
            }),
        other => Err(format!("unknown contestant {other}")),
    };
    let (peak, right) = outcome.unwrap_or_else(|e| panic!("{contestant} failed: {e}"));
    assert!(right, "{contestant} read the frame wrong");
    (before, peak)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--measure") {
        let contestant = args.get(i + 1).expect("--measure <contestant>");
        let (before, peak) = measure(contestant);
        println!("{before} {peak}");
        return;
    }
    if !cfg!(target_os = "linux") {
        // A measurement that cannot be taken is a failure, not an empty report.
        eprintln!(
            "peak_memory: error: it reads the resident-set peak from /proc, which only Linux \
             has; run the other benchmarks with `cargo bench --bench audio_append --bench \
             session_stream`"
        );
        std::process::exit(1);
    }
    let frame_len = build_frame().len() as u64;
    let mut rows = Vec::new();
    println!(
        "peak memory parsing one frame of {AUDIO_LEN} audio bytes ({frame_len} bytes of JSON)"
    );
    for &contestant in CONTESTANTS {
        let (before, peak) = common::peak_in_child(&["--measure", contestant]);
        let added = peak.saturating_sub(before);
        println!(
            "{contestant:>16}: resident before {:>7.2} MiB, peak {:>7.2} MiB, added {:>7.2} MiB",
            before as f64 / 1048576.0,
            peak as f64 / 1048576.0,
            added as f64 / 1048576.0
        );
        rows.push(serde_json::json!({
            "contestant": contestant,
            "resident_before": before,
            "peak": peak,
            "added": added,
        }));
    }
    let zero_copy_added = rows[0]["added"].as_u64().unwrap_or(u64::MAX);
    let report = serde_json::json!({
        "audio_bytes": AUDIO_LEN,
        "frame_bytes": frame_len,
        "zero_copy_budget": ZERO_COPY_BUDGET,
        "rows": rows,
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report");
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("peak_memory.json"), report.to_string()))
        .expect("write target/bench-report/peak_memory.json");
    println!(
        "zero-copy added {:.3} MiB (target: at most {:.0} MiB): {}",
        zero_copy_added as f64 / 1048576.0,
        ZERO_COPY_BUDGET as f64 / 1048576.0,
        if zero_copy_added <= ZERO_COPY_BUDGET {
            "met"
        } else {
            "NOT met"
        }
    );
}
