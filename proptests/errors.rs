//! Parse errors: Display shows the path, the message and the position; the
//! two entry points agree; and an error's text does not grow with the size
//! of the value it complains about (frames carry megabytes of audio).

use proptest::prelude::*;
use realtime_harness::rng::SplitMix64;
use realtime_harness::ClientEvent;
use serde_json::{json, Value};

use crate::audio::audio_payload;
use crate::bridge::arbitrary;
use crate::fidelity::frame_of;
use crate::mutation::{apply, edited_frames, mutation, permute_members, pointer_to_path, Mutation};

/// An error message may quote a little of the offending value, not all of it.
const MAX_ERROR_TEXT: usize = 1024;

proptest! {
    #![proptest_config(suite_config!("errors"))]

    #[test]
    fn display_shows_path_message_and_position(input in edited_frames::<ClientEvent>(mutation())) {
        let outcome = ClientEvent::from_slice(&input);
        // An edit that keeps the frame valid has no error to display.
        prop_assume!(outcome.is_err());
        let e = outcome.expect_err("assumed");
        let text = e.to_string();
        prop_assert!(!text.contains('\n'), "one line: {:?}", text);
        if e.path().is_empty() {
            prop_assert!(text.starts_with(e.message()), "{:?} / {:?}", text, e);
        } else {
            let prefix = format!("{}: {}", e.path(), e.message());
            prop_assert!(text.starts_with(&prefix), "{:?} / {:?}", text, e);
        }
        if e.line() > 0 {
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            prop_assert!(text.ends_with(&suffix), "{:?} / {:?}", text, e);
        }
    }

    /// An error caused by editing one member names that member, an object
    /// that holds it, or a place inside the edited value; never somewhere
    /// else.
    #[test]
    fn errors_point_at_the_edit(
        event in arbitrary::<ClientEvent>(),
        edit in mutation().prop_filter("a member edit", |m| !matches!(m, Mutation::Truncate | Mutation::InsertBytes(_))),
        seed in any::<u64>(),
        shuffled in any::<bool>(),
    ) {
        let mut frame = frame_of(&event);
        let mut choices = SplitMix64::new(seed);
        if shuffled {
            // Members before a union tag take the buffered path, whose
            // errors carry their path in the message.
            permute_members(&mut frame, &mut choices);
        }
        let edited = apply(&frame, &edit, &mut choices);
        let outcome = ClientEvent::from_slice(&edited.bytes);
        prop_assume!(outcome.is_err());
        let e = outcome.expect_err("assumed");
        let edited_path = pointer_to_path(&frame, edited.at.as_deref().unwrap_or_default());
        // The error is at an object holding the edit, or inside the edited
        // value (a nested value is checked inside).
        // An empty path (the frame itself) holds only top-level members.
        let within = |outer: &str, inner: &str| {
            inner == outer
                || (outer.is_empty() && !inner.contains(['.', '[']))
                || inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        let within = within(e.path(), &edited_path) || within(&edited_path, e.path());
        prop_assert!(
            within,
            "edited {} but the error says {:?}: {}", edited_path, e.path(), String::from_utf8_lossy(&edited.bytes)
        );
    }

    #[test]
    fn from_str_is_from_slice(input in edited_frames::<ClientEvent>(mutation())) {
        let text = String::from_utf8_lossy(&input);
        prop_assert_eq!(text.parse::<ClientEvent>(), ClientEvent::from_slice(text.as_bytes()));
    }

    #[test]
    fn error_text_does_not_grow_with_the_payload(
        payload in audio_payload(),
        site in 0..6usize,
    ) {
        // A payload-sized string where the model expects something else.
        let audio = Value::from(payload.audio.as_str());
        let frame = match site {
            0 => json!({"type": "conversation.item.truncate", "item_id": "i", "content_index": audio, "audio_end_ms": 0}),
            1 => json!({"type": "input_audio_buffer.append", "audio": [audio]}),
            2 => json!({"type": "conversation.item.create", "item": {"type": audio}}),
            3 => json!({"type": "session.update", "session": {"type": "realtime", "tracing": audio}}),
            4 => json!({"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"format": {"type": audio}}}}}),
            _ => json!({"type": "session.update", "session": {"type": "realtime", "tool_choice": audio}}),
        };
        let input = serde_json::to_vec(&frame).expect("a Value serializes");
        match ClientEvent::from_slice(&input) {
            Ok(event) => prop_assert!(false, "site {} accepted {:?}", site, event),
            Err(e) => {
                let text = e.to_string();
                prop_assert!(
                    text.len() <= MAX_ERROR_TEXT,
                    "site {}: a {}-byte payload gave a {}-byte error: {}…",
                    site, payload.audio.len(), text.len(), text.chars().take(200).collect::<String>()
                );
            }
        }
    }
}
