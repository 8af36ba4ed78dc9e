//! A realistic session as the server reads it: a JSONL stream of every
//! client event type at real sizes and proportions, parsed frame by frame
//! and reported in frames per second.
//!
//! Mostly `input_audio_buffer.append` frames of 20 to 100 ms of 24 kHz mono
//! PCM16 (960 to 4,800 bytes of audio, 1,280 to 6,400 of base64), as browser
//! and telephony clients send them, with the occasional `session.update`,
//! `conversation.item.create` (a tool result, a typed message),
//! `response.create`, barge-in (`response.cancel`, `conversation.item.truncate`,
//! `output_audio_buffer.clear`) and buffer control. The stream is built from
//! a fixed seed; its make-up is written to `target/bench-report/` for the
//! report.

mod common;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use common::base64;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use realtime_harness::rng::SplitMix64;
use realtime_harness::{ClientEvent, ClientEventRef};
use serde_json::Value;

type SeedEvent = openai_protocol::realtime_events::ClientEvent;

/// Bytes of 24 kHz mono PCM16 audio per millisecond.
const PCM16_24K_BYTES_PER_MS: usize = 48;

const INSTRUCTIONS: &str = "You are a friendly voice assistant for a travel company. \
Speak quickly and warmly, keep answers under three sentences unless the caller asks for detail, \
and never read out long lists: offer to send them instead. When the caller asks about weather, \
flights or bookings, call the matching tool before answering, and say what you are doing while \
you wait. If the caller sounds unsure, ask one short clarifying question. Confirm dates, times \
and names by repeating them back. Do not invent booking references; if a tool fails, apologize \
and offer to transfer the call to a human agent. Switch to the caller's language if they change \
language, and keep the same tone.";

fn session_update(event_id: &str, instructions: &str) -> String {
    let session = serde_json::json!({
        "type": "realtime",
        "model": "gpt-realtime",
        "output_modalities": ["audio"],
        "instructions": instructions,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "noise_reduction": {"type": "near_field"},
                "transcription": {"model": "gpt-4o-mini-transcribe", "language": "en"},
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                    "create_response": true,
                    "interrupt_response": true
                }
            },
            "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin", "speed": 1.0}
        },
        "tools": [
            {
                "type": "function",
                "name": "get_weather",
                "description": "Current weather and a three-day forecast for a city.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string", "description": "City name, e.g. Lisbon"},
                        "units": {"type": "string", "enum": ["metric", "imperial"]}
                    },
                    "required": ["city"]
                }
            },
            {
                "type": "function",
                "name": "find_booking",
                "description": "Look up a booking by reference or by the caller's surname and travel date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "reference": {"type": "string"},
                        "surname": {"type": "string"},
                        "date": {"type": "string", "description": "ISO 8601 date"}
                    }
                }
            }
        ],
        "tool_choice": "auto",
        "max_output_tokens": 4096
    });
    serde_json::json!({"type": "session.update", "event_id": event_id, "session": session})
        .to_string()
}

/// The stream and how many frames of each type it has.
struct Stream {
    jsonl: Vec<u8>,
    frames: usize,
    types: BTreeMap<String, usize>,
}

fn build_stream() -> Stream {
    let mut rng = SplitMix64::new(0x5e55_1011);
    let mut lines: Vec<String> = Vec::new();
    let mut next_id = 0u32;
    let mut id = || {
        next_id += 1;
        format!("evt_{next_id:06}")
    };
    lines.push(session_update(&id(), INSTRUCTIONS));
    for turn in 0..12u32 {
        // The caller speaks for 2 to 6 seconds, in chunks of 20, 40, 60 or
        // 100 ms (WebRTC-style clients send 20-40 ms, server bridges 100).
        let mut speech_ms = 2000 + rng.below(4001);
        while speech_ms > 0 {
            let chunk_ms = [20, 20, 20, 40, 40, 60, 100, 100][rng.below(8)].min(speech_ms);
            speech_ms -= chunk_ms;
            let audio = base64(&rng.bytes(chunk_ms * PCM16_24K_BYTES_PER_MS));
            lines.push(format!(
                r#"{{"type":"input_audio_buffer.append","event_id":"{}","audio":"{audio}"}}"#,
                id()
            ));
        }
        lines.push(format!(
            r#"{{"type":"input_audio_buffer.commit","event_id":"{}"}}"#,
            id()
        ));
        match turn {
            2 => lines.push(format!(
                r#"{{"type":"conversation.item.create","event_id":"{}","item":{{"type":"function_call_output","call_id":"call_7xQk2","output":"{{\"city\":\"Lisbon\",\"now\":{{\"temp_c\":21,\"sky\":\"sunny\"}},\"forecast\":[{{\"day\":\"Sat\",\"max_c\":24}},{{\"day\":\"Sun\",\"max_c\":22}},{{\"day\":\"Mon\",\"max_c\":19}}]}}"}}}}"#,
                id()
            )),
            4 => {
                // Barge-in: the caller talks over the answer.
                lines.push(format!(r#"{{"type":"response.cancel","event_id":"{}"}}"#, id()));
                lines.push(format!(
                    r#"{{"type":"conversation.item.truncate","event_id":"{}","item_id":"item_C9b2fQ","content_index":0,"audio_end_ms":1840}}"#,
                    id()
                ));
                lines.push(format!(r#"{{"type":"output_audio_buffer.clear","event_id":"{}"}}"#, id()));
            }
            5 => lines.push(session_update(
                &id(),
                "Same as before, but answer in Portuguese from now on.",
            )),
            6 => lines.push(format!(
                r#"{{"type":"conversation.item.create","event_id":"{}","previous_item_id":"item_C9b2fQ","item":{{"type":"message","role":"user","content":[{{"type":"input_text","text":"My booking reference is QX7-442, surname Almeida."}}]}}}}"#,
                id()
            )),
            7 => lines.push(format!(r#"{{"type":"input_audio_buffer.clear","event_id":"{}"}}"#, id())),
            8 => lines.push(format!(
                r#"{{"type":"conversation.item.retrieve","event_id":"{}","item_id":"item_C9b2fQ"}}"#,
                id()
            )),
            9 => lines.push(format!(
                r#"{{"type":"conversation.item.delete","event_id":"{}","item_id":"item_C9a1zz"}}"#,
                id()
            )),
            _ => {}
        }
        if turn % 3 == 1 {
            lines.push(format!(
                r#"{{"type":"response.create","event_id":"{}","response":{{"output_modalities":["audio"],"instructions":"Answer the caller's last question in one sentence.","metadata":{{"turn":"{turn}"}}}}}}"#,
                id()
            ));
        } else {
            lines.push(format!(
                r#"{{"type":"response.create","event_id":"{}"}}"#,
                id()
            ));
        }
    }
    let mut types = BTreeMap::new();
    for line in &lines {
        let event = ClientEvent::from_slice(line.as_bytes())
            .unwrap_or_else(|e| panic!("stream frame does not parse: {e}\n{line:.300}"));
        *types.entry(event.wire_type().to_owned()).or_insert(0) += 1;
    }
    let frames = lines.len();
    let mut jsonl = lines.join("\n").into_bytes();
    jsonl.push(b'\n');
    Stream {
        jsonl,
        frames,
        types,
    }
}

/// The stream's frames. A server gets them one by one from its transport
/// (WebSocket messages, data-channel messages), so they are split before
/// timing rather than inside the timed loop.
fn lines(jsonl: &[u8]) -> Vec<&[u8]> {
    jsonl
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .collect()
}

/// Parses every frame with `parse`; the count of frames that parsed.
fn parse_all<'a, T, E>(frames: &[&'a [u8]], parse: impl Fn(&'a [u8]) -> Result<T, E>) -> usize {
    frames
        .iter()
        .map(|&frame| parse(black_box(frame)).is_ok() as usize)
        .sum()
}

fn write_makeup(stream: &Stream, seed_rejects: usize) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report");
    let makeup = serde_json::json!({
        "frames": stream.frames,
        "bytes": stream.jsonl.len(),
        "types": stream.types,
        "openai_protocol_rejects": seed_rejects,
    });
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("session_stream.json"), makeup.to_string()));
    if let Err(e) = written {
        eprintln!("warning: could not write the stream's make-up: {e}");
    }
}

fn session_stream(c: &mut Criterion) {
    let stream = build_stream();
    assert_eq!(
        stream.types.len(),
        realtime_harness::RealtimeClientEvent::ALL.len(),
        "every GA event type is in the stream: {:?}",
        stream.types
    );
    let frames = lines(&stream.jsonl);
    let jsonl = &frames[..];
    let n = stream.frames;
    assert_eq!(frames.len(), n);

    // Checked before timing: every contestant reads every frame, and the
    // model's readers agree with each other.
    assert_eq!(parse_all(jsonl, ClientEventRef::from_slice), n);
    assert_eq!(parse_all(jsonl, ClientEvent::from_slice), n);
    assert_eq!(parse_all(jsonl, serde_json::from_slice::<ClientEvent>), n);
    assert_eq!(parse_all(jsonl, serde_json::from_slice::<Value>), n);
    // openai-protocol 1.16 reads `session.tools` as one tool, not the
    // spec's array, so it rejects the (spec-valid) session.update frames;
    // every other frame it must read.
    for &line in jsonl {
        if let Err(e) = serde_json::from_slice::<SeedEvent>(line) {
            let event = ClientEvent::from_slice(line).expect("parses");
            assert_eq!(event.wire_type(), "session.update", "openai-protocol: {e}");
        }
    }
    let seed_rejects = n - parse_all(jsonl, serde_json::from_slice::<SeedEvent>);
    assert_eq!(seed_rejects, stream.types["session.update"]);
    for &line in jsonl {
        let owned = ClientEvent::from_slice(line).expect("parses");
        assert_eq!(
            ClientEventRef::from_slice(line).expect("parses").to_owned(),
            owned
        );
        assert_eq!(
            serde_json::from_slice::<ClientEvent>(line).expect("parses"),
            owned
        );
    }

    write_makeup(&stream, seed_rejects);

    let mut group = c.benchmark_group("session_stream");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("zero_copy", |b| {
        b.iter(|| parse_all(jsonl, ClientEventRef::from_slice))
    });
    group.bench_function("owned", |b| {
        b.iter(|| parse_all(jsonl, ClientEvent::from_slice))
    });
    group.bench_function("serde_model", |b| {
        b.iter(|| parse_all(jsonl, serde_json::from_slice::<ClientEvent>))
    });
    group.bench_function("serde_value", |b| {
        b.iter(|| parse_all(jsonl, serde_json::from_slice::<Value>))
    });
    group.bench_function("openai_protocol", |b| {
        b.iter(|| parse_all(jsonl, serde_json::from_slice::<SeedEvent>))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(20_000).configure_from_args();
    targets = session_stream
}
criterion_main!(benches);
