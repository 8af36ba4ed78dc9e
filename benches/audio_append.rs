//! `input_audio_buffer.append` frames of 1 KiB to 15 MiB of audio: parsing,
//! parsing and decoding to PCM, and serializing, against a `memchr` pass
//! (every byte touched once), a copy of the frame (the floor of any owned
//! parse), `base64-simd` decoding the bare audio, serde_json and the seed
//! crate openai-protocol.
//!
//! One criterion group per size and task (`parse_1MiB`, `decode_1MiB`,
//! `serialize_1MiB`, ...); function ids name the contestant, parameters say
//! where `type` stands. Throughput is the frame's length in bytes, so the
//! report reads MiB/s of JSON. Every contestant's result is checked before it
//! is timed. `scripts/bench-report` runs this and writes BENCHMARKS.md.

mod common;

use std::hint::black_box;

use base64::Engine as _;
use common::{append_frame, audio_bytes, base64, configure, TypeAt, EVENT_ID, SIZES};
use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};
use realtime_harness::{ClientEvent, ClientEventRef};
use serde_json::Value;

type SeedEvent = openai_protocol::realtime_events::ClientEvent;

/// One size's frames and the values every contestant must produce.
struct Case {
    label: &'static str,
    audio_len: usize,
    pcm: Vec<u8>,
    audio: String,
    expected: ClientEvent,
    frames: Vec<(TypeAt, Vec<u8>)>,
}

impl Case {
    fn new(label: &'static str, audio_len: usize) -> Self {
        let pcm = audio_bytes(audio_len);
        let audio = base64(&pcm);
        let expected =
            ClientEvent::input_audio_buffer_append(Some(EVENT_ID.to_owned()), audio.clone());
        let frames = TypeAt::BOTH
            .iter()
            .map(|&at| (at, append_frame(&audio, at)))
            .collect();
        Case {
            label,
            audio_len,
            pcm,
            audio,
            expected,
            frames,
        }
    }

    fn frame_len(&self) -> u64 {
        self.frames[0].1.len() as u64
    }

    fn group<'c>(&self, c: &'c mut Criterion, task: &str) -> BenchmarkGroup<'c, WallTime> {
        let mut group = c.benchmark_group(format!("{task}_{}", self.label));
        configure(&mut group, self.audio_len);
        // Before the functions, so that every one reports bytes per second.
        group.throughput(Throughput::Bytes(self.frame_len()));
        group
    }
}

fn seed_audio(event: &SeedEvent) -> Option<(&str, Option<&str>)> {
    match event {
        SeedEvent::InputAudioBufferAppend { audio, event_id } => {
            Some((audio.as_str(), event_id.as_deref()))
        }
        _ => None,
    }
}

fn check_parsers(case: &Case, frame: &[u8]) {
    let zero_copy = ClientEventRef::from_slice(frame).expect("zero-copy parses");
    let audio = zero_copy.audio().expect("an append");
    assert!(audio.is_borrowed(), "the zero-copy path copied the audio");
    assert_eq!(audio.as_bytes(), case.audio.as_bytes());
    assert_eq!(zero_copy.event_id().as_deref(), Some(EVENT_ID));
    assert_eq!(zero_copy.to_owned(), case.expected);
    assert_eq!(ClientEvent::from_slice(frame).as_ref(), Ok(&case.expected));
    assert_eq!(
        serde_json::from_slice::<ClientEvent>(frame).expect("serde parses"),
        case.expected
    );
    let value: Value = serde_json::from_slice(frame).expect("a JSON value");
    assert_eq!(value["audio"].as_str(), Some(case.audio.as_str()));
    let seed: SeedEvent = serde_json::from_slice(frame).expect("openai-protocol parses");
    assert_eq!(
        seed_audio(&seed),
        Some((case.audio.as_str(), Some(EVENT_ID)))
    );
}

fn parse(c: &mut Criterion) {
    for &(label, audio_len) in SIZES {
        let case = Case::new(label, audio_len);
        let mut group = case.group(c, "parse");
        let floor = &case.frames[0].1;
        assert_eq!(
            memchr::memchr(0, floor),
            None,
            "memchr must read every byte"
        );
        group.bench_function("memchr", |b| b.iter(|| memchr::memchr(0, black_box(floor))));
        // The floor of an owned parse: one copy of the frame, allocation
        // included, as `ClientEvent::from_slice` allocates its audio.
        group.bench_function("memcpy", |b| b.iter(|| black_box(floor).to_vec()));
        for (at, frame) in &case.frames {
            check_parsers(&case, frame);
            let at = at.label();
            group.bench_with_input(BenchmarkId::new("zero_copy", at), frame, |b, f| {
                b.iter(|| ClientEventRef::from_slice(black_box(f)))
            });
            group.bench_with_input(BenchmarkId::new("owned", at), frame, |b, f| {
                b.iter(|| ClientEvent::from_slice(black_box(f)))
            });
            group.bench_with_input(BenchmarkId::new("serde_model", at), frame, |b, f| {
                b.iter(|| serde_json::from_slice::<ClientEvent>(black_box(f)))
            });
            group.bench_with_input(BenchmarkId::new("serde_value", at), frame, |b, f| {
                b.iter(|| serde_json::from_slice::<Value>(black_box(f)))
            });
            group.bench_with_input(BenchmarkId::new("openai_protocol", at), frame, |b, f| {
                b.iter(|| serde_json::from_slice::<SeedEvent>(black_box(f)))
            });
        }
        group.finish();
    }
}

fn decode(c: &mut Criterion) {
    let engine = &base64::engine::general_purpose::STANDARD;
    for &(label, audio_len) in SIZES {
        let case = Case::new(label, audio_len);
        let (_, frame) = &case.frames[0];
        let mut out = Vec::with_capacity(audio_len);

        // Checked before timing: every contestant yields the PCM bytes.
        engine
            .decode_vec(case.audio.as_bytes(), &mut out)
            .expect("base64");
        assert_eq!(out, case.pcm);
        out.clear();
        let event = ClientEventRef::from_slice(frame).expect("parses");
        event
            .audio()
            .expect("an append")
            .decode_into(&mut out)
            .expect("base64");
        assert_eq!(out, case.pcm);
        let owned = ClientEvent::from_slice(frame).expect("parses");
        let ClientEvent::InputAudioBufferAppend { audio, .. } = &owned else {
            panic!("not an append: {owned:?}");
        };
        assert_eq!(audio.decode().expect("base64"), case.pcm);
        out.clear();
        audio.decode_into(&mut out).expect("base64");
        assert_eq!(out, case.pcm);
        out.clear();
        base64_simd::STANDARD
            .decode_append(case.audio.as_bytes(), &mut out)
            .expect("base64");
        assert_eq!(out, case.pcm);
        let seed: SeedEvent = serde_json::from_slice(frame).expect("parses");
        let (seed_b64, _) = seed_audio(&seed).expect("an append");
        assert_eq!(engine.decode(seed_b64).expect("base64"), case.pcm);

        let mut group = case.group(c, "decode");
        // The floor: the vector decoder on the bare audio, into a reused
        // buffer, with no frame to parse.
        group.bench_function("base64_simd", |b| {
            b.iter(|| {
                out.clear();
                base64_simd::STANDARD.decode_append(black_box(case.audio.as_bytes()), &mut out)
            })
        });
        // The scalar decoder this crate used before, on the bare audio.
        group.bench_function("base64_crate", |b| {
            b.iter(|| {
                out.clear();
                engine.decode_vec(black_box(case.audio.as_bytes()), &mut out)
            })
        });
        group.bench_function("zero_copy", |b| {
            b.iter(|| {
                out.clear();
                let event = ClientEventRef::from_slice(black_box(frame)).expect("parses");
                if let Some(audio) = event.audio() {
                    audio.decode_into(&mut out).expect("base64");
                }
            })
        });
        group.bench_function("owned", |b| {
            b.iter(|| match ClientEvent::from_slice(black_box(frame)) {
                Ok(ClientEvent::InputAudioBufferAppend { audio, .. }) => {
                    out.clear();
                    audio.decode_into(&mut out)
                }
                other => panic!("{other:?}"),
            })
        });
        group.bench_function("openai_protocol", |b| {
            b.iter(|| {
                let seed: SeedEvent = serde_json::from_slice(black_box(frame)).expect("parses");
                match seed {
                    SeedEvent::InputAudioBufferAppend { audio, .. } => engine.decode(audio),
                    other => panic!("{other:?}"),
                }
            })
        });
        group.finish();
    }
}

fn serialize(c: &mut Criterion) {
    for &(label, audio_len) in SIZES {
        let case = Case::new(label, audio_len);
        // The model writes `type` first, so the type-first frame is what
        // every faithful serializer must produce, byte for byte.
        let (_, frame) = &case.frames[0];
        let event = &case.expected;
        let event_ref = ClientEventRef::from_slice(frame).expect("parses");
        let value: Value = serde_json::from_slice(frame).expect("a JSON value");
        let seed: SeedEvent = serde_json::from_slice(frame).expect("parses");

        assert_eq!(&event.to_vec(), frame);
        assert_eq!(&event_ref.to_vec(), frame);
        assert_eq!(&serde_json::to_vec(event).expect("serializes"), frame);
        assert_eq!(&serde_json::to_vec(&value).expect("serializes"), frame);
        // openai-protocol writes its members in another order: compare values.
        let seed_out = serde_json::to_vec(&seed).expect("serializes");
        assert_eq!(
            serde_json::from_slice::<Value>(&seed_out).expect("JSON"),
            value
        );

        let mut group = case.group(c, "serialize");
        group.bench_function("memcpy", |b| b.iter(|| black_box(frame).to_vec()));
        group.bench_function("zero_copy", |b| b.iter(|| black_box(&event_ref).to_vec()));
        group.bench_function("owned", |b| b.iter(|| black_box(event).to_vec()));
        group.bench_function("serde_model", |b| {
            b.iter(|| serde_json::to_vec(black_box(event)))
        });
        group.bench_function("serde_value", |b| {
            b.iter(|| serde_json::to_vec(black_box(&value)))
        });
        group.bench_function("openai_protocol", |b| {
            b.iter(|| serde_json::to_vec(black_box(&seed)))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = parse, decode, serialize
}
criterion_main!(benches);
