//! The server's audio: `response.output_audio.delta` frames of 1 KiB to
//! 15 MiB of audio parsed (zero-copy and owned, against a copy of the frame:
//! the floor of any owned parse), and audio encoded to base64 as a server
//! encodes each delta (against `base64-simd` alone and the scalar `base64`
//! crate).
//!
//! Groups `delta_parse_<size>` (throughput: the frame's bytes) and
//! `encode_<size>` (throughput: the audio's bytes, before encoding).
//! Every contestant's result is checked before it is timed.
//! `scripts/bench-report` runs this and writes BENCHMARKS.md.

mod common;

use std::hint::black_box;

use base64::Engine as _;
use common::{audio_bytes, base64, configure, SIZES};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use realtime_harness::{Base64Audio, ExtraMembers, ServerEvent, ServerEventRef};

/// A delta as a server sends it: the model's member order, compact.
fn delta_event(audio: Base64Audio) -> ServerEvent {
    ServerEvent::ResponseOutputAudioDelta {
        event_id: "event_bench_000001".to_owned(),
        response_id: "resp_bench_0001".to_owned(),
        item_id: "item_bench_0001".to_owned(),
        output_index: 0,
        content_index: 0,
        delta: audio,
        extra: ExtraMembers::new(),
    }
}

fn delta_parse(c: &mut Criterion) {
    for &(label, audio_len) in SIZES {
        let audio = base64(&audio_bytes(audio_len));
        let expected = delta_event(Base64Audio::new(audio.clone()));
        let frame = expected.to_vec();

        // Checked before timing: both parsers read the delta, the zero-copy
        // one without copying it.
        assert_eq!(ServerEvent::from_slice(&frame).as_ref(), Ok(&expected));
        let zero_copy = ServerEventRef::from_slice(&frame).expect("parses");
        let borrowed = zero_copy.audio().expect("a delta");
        assert!(
            borrowed.is_borrowed(),
            "the zero-copy path copied the audio"
        );
        assert_eq!(borrowed.as_bytes(), audio.as_bytes());
        assert_eq!(ServerEvent::from_slice_serde(&frame), Ok(expected));

        let mut group = c.benchmark_group(format!("delta_parse_{label}"));
        configure(&mut group, audio_len);
        group.throughput(Throughput::Bytes(frame.len() as u64));
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

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = delta_parse, encode
}
criterion_main!(benches);
