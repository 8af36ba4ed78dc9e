//! Equivalent JSON texts parse to the same event: whitespace between any
//! two tokens, and any character of any string (member names included)
//! written as an escape (`\/`, `\u00e9`, surrogate pairs). Append frames,
//! which a scanner reads apart from serde, get the same treatment at every
//! audio size.

use proptest::option;
use proptest::prelude::*;
use realtime_harness::events::client_ref::check_agreement;
use realtime_harness::rng::SplitMix64;
use realtime_harness::ClientEvent;
use serde_json::{Map, Value};

use crate::audio::audio_payload_up_to;
use crate::bridge::arbitrary;
use crate::fidelity::frame_of;
use crate::mutation::permute_members;

/// How often a choice is made: whitespace before and after about a third of
/// the tokens; every eighth character escaped.
const WHITESPACE_ONE_IN: usize = 3;
const ESCAPE_ONE_IN: usize = 8;

/// `value` as JSON text, with whitespace and escapes chosen by `choices`.
pub fn write_json(value: &Value, choices: &mut SplitMix64) -> String {
    let mut out = String::new();
    write_value(value, choices, &mut out);
    out
}

fn whitespace(choices: &mut SplitMix64, out: &mut String) {
    if choices.one_in(WHITESPACE_ONE_IN) {
        for _ in 0..=choices.below(3) {
            out.push([' ', '\t', '\n', '\r'][choices.below(4)]);
        }
    }
}

fn write_value(value: &Value, choices: &mut SplitMix64, out: &mut String) {
    whitespace(choices, out);
    match value {
        Value::Object(members) => {
            out.push('{');
            for (i, (name, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                whitespace(choices, out);
                write_string(name, choices, out);
                whitespace(choices, out);
                out.push(':');
                write_value(v, choices, out);
            }
            whitespace(choices, out);
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(v, choices, out);
            }
            whitespace(choices, out);
            out.push(']');
        }
        Value::String(s) => write_string(s, choices, out),
        scalar => out.push_str(&scalar.to_string()),
    }
    whitespace(choices, out);
}

fn write_string(s: &str, choices: &mut SplitMix64, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if choices.one_in(2) => out.push_str("\\/"),
            c if u32::from(c) < 0x20 || choices.one_in(ESCAPE_ONE_IN) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

proptest! {
    #![proptest_config(suite_config!("encoding"))]

    #[test]
    fn whitespace_and_escapes_do_not_change_the_event(
        event in arbitrary::<ClientEvent>(),
        seed in any::<u64>(),
    ) {
        let text = write_json(&frame_of(&event), &mut SplitMix64::new(seed));
        prop_assert_eq!(ClientEvent::from_slice(text.as_bytes()), Ok(event), "frame: {}", text);
    }

    #[test]
    fn append_frames_in_any_encoding(
        // Up to 256 KiB: four parses of each frame in a debug build; the
        // 1 MiB edge is covered by `debug` and `constructors`.
        payload in audio_payload_up_to(256 * 1024),
        event_id in option::of(any::<String>()),
        unknown in option::of(any::<String>()),
        seed in any::<u64>(),
    ) {
        let mut choices = SplitMix64::new(seed);
        let mut frame = Map::new();
        frame.insert("type".to_owned(), Value::from("input_audio_buffer.append"));
        frame.insert("audio".to_owned(), Value::from(payload.audio.as_str()));
        if let Some(id) = &event_id {
            frame.insert("event_id".to_owned(), Value::from(id.as_str()));
        }
        if let Some(value) = &unknown {
            frame.insert("x-proptest".to_owned(), Value::from(value.as_str()));
        }
        let mut frame = Value::Object(frame);
        permute_members(&mut frame, &mut choices);
        // Large payloads stay plain base64 (escaping a megabyte would only
        // slow the run); the members around them still vary.
        let text = if payload.audio.len() > 64 * 1024 {
            let plain = serde_json::to_string(&frame).expect("a Value serializes");
            format!("{}{plain}{}", [" ", "\n", ""][choices.below(3)], ["\t", "\r\n", ""][choices.below(3)])
        } else {
            write_json(&frame, &mut choices)
        };
        check_agreement(text.as_bytes()).map_err(TestCaseError::fail)?;
        let event = ClientEvent::from_slice(text.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ClientEvent::InputAudioBufferAppend { event_id: id, audio, extra } = &event else {
            return Err(TestCaseError::fail(format!("not an append: {event:?}")));
        };
        prop_assert_eq!(id, &event_id);
        prop_assert!(audio == &payload.audio, "audio differs: {:?} vs {:?}", audio, payload.audio);
        let kept = extra.get_value("x-proptest");
        prop_assert_eq!(kept.as_ref().and_then(Value::as_str), unknown.as_deref());
        prop_assert_eq!(extra.len(), usize::from(unknown.is_some()));
    }
}
