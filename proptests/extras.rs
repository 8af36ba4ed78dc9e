//! Unknown members and nullable members: members the spec does not name
//! survive a round trip in every open object and are rejected by the closed
//! ones; absent, `null` and a value stay three different things on every
//! nullable member.

use proptest::prelude::*;
use realtime_harness::audio::CustomVoice;
use realtime_harness::fidelity::{changes, Change};
use realtime_harness::pointer::child;
use realtime_harness::rng::SplitMix64;
use realtime_harness::session::RealtimeSessionConfig;
use realtime_harness::tools::{McpApprovalFilter, McpToolFilter};
use realtime_harness::{ClientEvent, RealtimeResponseCreateParams, SessionConfig};
use serde_json::{json, Value};

use crate::bridge::arbitrary;
use crate::fidelity::{frame_of, model_keeps, remove_member, through_model};
use crate::json::{json_value, member_name};
use crate::shape_walk::model_objects;

/// Events rich in nullable members: any event, and realtime sessions and
/// responses drawn directly.
fn events_with_nullable_members() -> impl Strategy<Value = ClientEvent> {
    prop_oneof![
        1 => arbitrary::<ClientEvent>(),
        2 => arbitrary::<RealtimeSessionConfig>()
            .prop_map(|s| ClientEvent::session_update(None, SessionConfig::Realtime(Box::new(s)))),
        2 => arbitrary::<RealtimeResponseCreateParams>()
            .prop_map(|r| ClientEvent::response_create(None, Some(r))),
    ]
}

proptest! {
    #![proptest_config(suite_config!("extras"))]

    #[test]
    fn unknown_members_survive_in_every_open_object(
        event in arbitrary::<ClientEvent>(),
        value in json_value(2, 3),
        seed in any::<u64>(),
    ) {
        let mut frame = frame_of(&event);
        let mut choices = SplitMix64::new(seed);
        let mut added = 0;
        for object in model_objects(&frame) {
            if !object.shape.open || !choices.one_in(2) {
                continue;
            }
            let name = format!("x-proptest-{added}");
            prop_assert!(!object.knows(&name));
            let members = frame.pointer_mut(&object.pointer).and_then(Value::as_object_mut).expect("an object");
            let at = choices.below(members.len() + 1);
            members.shift_insert(at, name, value.clone());
            added += 1;
        }
        prop_assume!(added > 0);
        model_keeps::<ClientEvent>(&frame)?;
    }

    #[test]
    fn closed_objects_reject_unknown_members(
        voice in arbitrary::<CustomVoice>(),
        filter in arbitrary::<McpToolFilter>(),
        approval in arbitrary::<McpApprovalFilter>(),
        site in 0..3usize,
        name in member_name(),
        value in json_value(1, 2),
    ) {
        let (mut frame, pointer, path) = match site {
            0 => (
                json!({"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"voice": voice}}}}),
                "/session/audio/output/voice",
                "session.audio.output.voice",
            ),
            1 => (
                json!({"type": "session.update", "session": {"type": "realtime", "tools": [
                    {"type": "mcp", "server_label": "s", "server_url": "https://example.com/", "allowed_tools": filter}
                ]}}),
                "/session/tools/0/allowed_tools",
                "session.tools[0].allowed_tools",
            ),
            _ => (
                json!({"type": "response.create", "response": {"tools": [
                    {"type": "mcp", "server_label": "s", "server_url": "https://example.com/", "require_approval": approval}
                ]}}),
                "/response/tools/0/require_approval",
                "response.tools[0].require_approval",
            ),
        };
        let members = frame.pointer_mut(pointer).and_then(Value::as_object_mut).expect("an object");
        prop_assume!(!["id", "tool_names", "read_only", "always", "never"].contains(&name.as_str()));
        members.insert(name.clone(), value);
        let text = frame.to_string();
        match ClientEvent::from_slice(text.as_bytes()) {
            Ok(event) => prop_assert!(false, "accepted {:?} from {}", event, text),
            Err(e) => {
                prop_assert!(e.message().contains("unknown field"), "{} for {}", e, text);
                prop_assert!(e.path().starts_with(path), "{} for {}", e, text);
            }
        }
    }

    #[test]
    fn nullable_members_keep_absent_null_and_value_apart(
        event in events_with_nullable_members(),
        seed in any::<u64>(),
    ) {
        let frame = frame_of(&event);
        let candidates: Vec<String> = model_objects(&frame)
            .into_iter()
            .flat_map(|object| {
                let members = frame.pointer(&object.pointer).and_then(Value::as_object).cloned().unwrap_or_default();
                object.shape.members.iter()
                    .filter(|m| m.nullable && members.get(m.name).is_some_and(|v| !v.is_null()))
                    .map(|m| child(&object.pointer, m.name))
                    .collect::<Vec<_>>()
            })
            .collect();
        prop_assume!(!candidates.is_empty());
        let pointer = &candidates[SplitMix64::new(seed).below(candidates.len())];

        let mut null = frame.clone();
        *null.pointer_mut(pointer).expect("a candidate member") = Value::Null;
        let mut absent = frame.clone();
        remove_member(&mut absent, pointer);

        let mut models = Vec::new();
        for state in [&frame, &null, &absent] {
            let (model, after) = through_model(state).map_err(TestCaseError::fail)?;
            prop_assert_eq!(changes(state, &after), Vec::<Change>::new(), "at {}", pointer);
            models.push(model);
        }
        prop_assert_ne!(&models[0], &models[1], "value and null at {}", pointer);
        prop_assert_ne!(&models[0], &models[2], "value and absent at {}", pointer);
        prop_assert_ne!(&models[1], &models[2], "null and absent at {}", pointer);
    }
}
