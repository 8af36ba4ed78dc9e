//! The server's audio: `response.output_audio.delta` frames of 4 KiB to
//! 15 MiB of audio parsed by the zero-copy `ServerEventRef`, the owned
//! `ServerEvent::from_slice`, the serde path, a `serde_json::Value` and the
//! seed crate openai-protocol's `ServerEvent`, against a `memchr` pass over
//! the frame (every byte touched once) and a copy of the frame (the floor of
//! any parse that owns its audio); audio encoded to base64 as a server
//! encodes each delta (against `base64-simd` alone and the scalar `base64`
//! crate); and a whole response's server stream in frames per second.
//!
//! Groups `server_parse_<size>` (throughput: the frame's bytes),
//! `encode_<size>` (throughput: the audio's bytes, before encoding) and
//! `server_stream`; function ids name the contestant. Every contestant's
//! result is checked before it is timed. `scripts/bench-report` runs this
//! and writes the server sections of BENCHMARKS.md.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use common::{audio_bytes, base64, configure, criterion};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use realtime_harness::{Base64Audio, ExtraMembers, ServerEvent, ServerEventRef};
use serde_json::Value;

type SeedEvent = openai_protocol::realtime_events::ServerEvent;

/// Audio sizes of the deltas (decoded bytes): servers send many small ones,
/// and the spec puts no bound on one.
const SIZES: &[(&str, usize)] = &[
    ("4KiB", 4 << 10),
    ("64KiB", 64 << 10),
    ("1MiB", 1 << 20),
    ("15MiB", 15 << 20),
];

/// A delta as a server sends it: the model's member order, compact.
fn delta_event(audio: Base64Audio) -> ServerEvent {
    ServerEvent::ResponseOutputAudioDelta {
        event_id: "event_Bench0001".to_owned(),
        response_id: "resp_Bench0001".to_owned(),
        item_id: "item_Bench0001".to_owned(),
        output_index: 0,
        content_index: 0,
        delta: audio,
        extra: ExtraMembers::new(),
    }
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
        let expected = delta_event(Base64Audio::new(audio.clone()));
        let frame = expected.to_vec();

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
        assert_eq!(ServerEvent::from_slice(&frame).as_ref(), Ok(&expected));
        assert_eq!(zero_copy.to_owned(), expected);
        assert_eq!(
            ServerEvent::from_slice_serde(&frame).as_ref(),
            Ok(&expected)
        );
        let value: Value = serde_json::from_slice(&frame).expect("a JSON value");
        assert_eq!(value["delta"].as_str(), Some(audio.as_str()));
        let seed: SeedEvent = serde_json::from_slice(&frame).expect("openai-protocol parses");
        assert_eq!(seed_delta(&seed), Some(audio.as_str()));

        let mut group = c.benchmark_group(format!("server_parse_{label}"));
        configure(&mut group, audio_len);
        // Before the functions, so that every one reports bytes per second.
        group.throughput(Throughput::Bytes(frame.len() as u64));
        group.bench_function("memchr", |b| {
            b.iter(|| memchr::memchr(0, black_box(&frame)))
        });
        group.bench_function("memcpy", |b| b.iter(|| black_box(&frame[..]).to_vec()));
        group.bench_function("zero_copy", |b| {
            b.iter(|| ServerEventRef::from_slice(black_box(&frame)))
        });
        group.bench_function("owned", |b| {
            b.iter(|| ServerEvent::from_slice(black_box(&frame)))
        });
        group.bench_function("serde_model", |b| {
            b.iter(|| ServerEvent::from_slice_serde(black_box(&frame)))
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

fn encode(c: &mut Criterion) {
    let engine = &base64::engine::general_purpose::STANDARD;
    for &(label, audio_len) in SIZES {
        let pcm = audio_bytes(audio_len);
        let expected = engine.encode(&pcm);
        let frame = delta_event(Base64Audio::new(expected.clone())).to_vec();

        assert_eq!(base64_simd::STANDARD.encode_to_string(&pcm), expected);
        assert_eq!(Base64Audio::encode(&pcm).as_str(), expected);
        assert_eq!(delta_event(Base64Audio::encode(&pcm)).to_vec(), frame);

        let mut group = c.benchmark_group(format!("encode_{label}"));
        configure(&mut group, audio_len);
        group.throughput(Throughput::Bytes(audio_len as u64));
        // The floor: the vector encoder alone, into a new string, as
        // `Base64Audio::encode` returns one.
        group.bench_function("base64_simd", |b| {
            b.iter(|| base64_simd::STANDARD.encode_to_string(black_box(&pcm)))
        });
        // The scalar encoder this crate used before.
        group.bench_function("base64_crate", |b| {
            b.iter(|| engine.encode(black_box(&pcm)))
        });
        group.bench_function("model", |b| b.iter(|| Base64Audio::encode(black_box(&pcm))));
        // What a server does per delta: encode, then write the frame.
        group.bench_function("delta_frame", |b| {
            b.iter(|| delta_event(Base64Audio::encode(black_box(&pcm))).to_vec())
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
    let delta = delta_event(Base64Audio::new(base64(&audio_bytes(4 << 10)))).to_vec();
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

criterion_group! {
    name = benches;
    config = criterion();
    targets = parse, encode, stream
}
criterion_main!(benches);
