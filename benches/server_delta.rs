//! `response.output_audio.delta` frames of 4 KiB, 64 KiB and 1 MiB of
//! audio (servers send many small deltas), parsed by the zero-copy
//! `ServerEventRef`, the owned `ServerEvent::from_slice`, a
//! `serde_json::Value` and the seed crate openai-protocol's `ServerEvent`,
//! against a `memchr` pass over the frame (every byte touched once); and a
//! whole response's server stream in frames per second.
//!
//! One criterion group per size (`server_parse_64KiB`, ...) plus
//! `server_stream`; function ids name the contestant. Every contestant's
//! result is checked before it is timed. `scripts/bench-report` runs this
//! and writes the server section of BENCHMARKS.md.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use common::{audio_bytes, base64};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use realtime_harness::{ServerEvent, ServerEventRef};
use serde_json::Value;

type SeedEvent = openai_protocol::realtime_events::ServerEvent;

const SIZES: &[(&str, usize)] = &[("4KiB", 4 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20)];

fn delta_frame(audio: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"response.output_audio.delta","event_id":"event_Bench0001","response_id":"resp_Bench0001","item_id":"item_Bench0001","output_index":0,"content_index":0,"delta":"{audio}"}}"#
    )
    .into_bytes()
}

fn seed_delta(event: &SeedEvent) -> Option<&str> {
    match event {
        SeedEvent::ResponseOutputAudioDelta { delta, .. } => Some(delta),
        _ => None,
    }
}

fn parse(c: &mut Criterion) {
    for &(label, audio_len) in SIZES {
        let audio = base64(&audio_bytes(audio_len));
        let frame = delta_frame(&audio);

        assert_eq!(
            memchr::memchr(0, &frame),
            None,
            "memchr must read every byte"
        );
        let zero_copy = ServerEventRef::from_slice(&frame).expect("zero-copy parses");
        let borrowed = zero_copy.audio().expect("a delta");
        assert!(
            borrowed.is_borrowed(),
            "the zero-copy path copied the audio"
        );
        assert_eq!(borrowed.as_bytes(), audio.as_bytes());
        let owned = ServerEvent::from_slice(&frame).expect("owned parses");
        assert_eq!(zero_copy.to_owned(), owned);
        assert_eq!(owned.to_vec(), frame);
        let value: Value = serde_json::from_slice(&frame).expect("a JSON value");
        assert_eq!(value["delta"].as_str(), Some(audio.as_str()));
        let seed: SeedEvent = serde_json::from_slice(&frame).expect("openai-protocol parses");
        assert_eq!(seed_delta(&seed), Some(audio.as_str()));

        let mut group = c.benchmark_group(format!("server_parse_{label}"));
        group
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(1))
            .sample_size(if audio_len >= 1 << 20 { 20 } else { 40 });
        // Before the functions, so that every one reports bytes per second.
        group.throughput(Throughput::Bytes(frame.len() as u64));
        group.bench_function("memchr", |b| {
            b.iter(|| memchr::memchr(0, black_box(&frame)))
        });
        group.bench_function("zero_copy", |b| {
            b.iter(|| ServerEventRef::from_slice(black_box(&frame)))
        });
        group.bench_function("owned", |b| {
            b.iter(|| ServerEvent::from_slice(black_box(&frame)))
        });
        group.bench_function("serde_value", |b| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(&frame)))
        });
        group.bench_function("openai_protocol", |b| {
            b.iter(|| serde_json::from_slice::<SeedEvent>(black_box(&frame)))
        });
        group.finish();
    }
}

/// One response as a server streams it, from the corpus: the lifecycle
/// events around forty 4 KiB audio deltas and their transcript deltas.
fn response_stream() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/server/valid");
    let read = |name: &str| {
        let text = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let value: Value = serde_json::from_slice(&text).expect("corpus frames are JSON");
        serde_json::to_vec(&value).expect("a Value serializes")
    };
    let mut stream = Vec::new();
    for name in [
        "response.created-in-progress-audio.json",
        "response.output_item.added-assistant-message-in-progress.json",
        "conversation.item.added-assistant-in-progress-empty-content.json",
        "response.content_part.added-real-audio-part-empty-transcript.json",
    ] {
        stream.push(read(name));
    }
    let delta = delta_frame(&base64(&audio_bytes(4 << 10)));
    let transcript = read("response.output_audio_transcript.delta-plain.json");
    for _ in 0..40 {
        stream.push(delta.clone());
        stream.push(transcript.clone());
    }
    for name in [
        "response.output_audio.done-basic.json",
        "response.output_audio_transcript.done-full-transcript.json",
        "response.content_part.done-real-audio-part-transcript.json",
        "response.output_item.done-assistant-output-audio.json",
        "conversation.item.done-assistant-output-audio.json",
        "response.done-completed-audio-usage-details.json",
        "rate_limits.updated-requests-and-tokens.json",
    ] {
        stream.push(read(name));
    }
    stream
}

fn stream(c: &mut Criterion) {
    let frames = response_stream();
    for frame in &frames {
        let event = ServerEvent::from_slice(frame).expect("the stream parses");
        assert!(event.to_event_type().is_some(), "{event:?}");
        serde_json::from_slice::<SeedEvent>(frame).unwrap_or_else(|e| {
            panic!(
                "openai-protocol refuses {}: {e}",
                String::from_utf8_lossy(frame)
            )
        });
    }
    let mut group = c.benchmark_group("server_stream");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(frames.len() as u64));
    group.bench_function("zero_copy", |b| {
        b.iter(|| {
            for frame in &frames {
                black_box(ServerEventRef::from_slice(black_box(frame)).is_ok());
            }
        })
    });
    group.bench_function("owned", |b| {
        b.iter(|| {
            for frame in &frames {
                black_box(ServerEvent::from_slice(black_box(frame)).is_ok());
            }
        })
    });
    group.bench_function("serde_value", |b| {
        b.iter(|| {
            for frame in &frames {
                black_box(serde_json::from_slice::<Value>(black_box(frame)).is_ok());
            }
        })
    });
    group.bench_function("openai_protocol", |b| {
        b.iter(|| {
            for frame in &frames {
                black_box(serde_json::from_slice::<SeedEvent>(black_box(frame)).is_ok());
            }
        })
    });
    group.finish();
}

fn criterion() -> Criterion {
    Criterion::default()
        .nresamples(20_000)
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = parse, stream
}
criterion_main!(benches);
