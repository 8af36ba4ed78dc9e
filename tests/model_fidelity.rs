//! Fidelity of the model on hand-picked frames: nothing injected or
//! dropped, `null` kept where it means something and normalized where it
//! does not, unknown members re-emitted, `type` accepted at any position.

use realtime_harness::fidelity::{changes, ChangeKind};
use realtime_harness::session::AudioInput;
use realtime_harness::{ClientEvent, Nullable, SessionConfig};
use serde_json::{json, Value};

fn round_trip(frame: &Value) -> Value {
    let event = ClientEvent::from_slice(frame.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{frame}: {e}"));
    serde_json::to_value(&event).unwrap()
}

fn audio_input(event: &ClientEvent) -> &AudioInput {
    let ClientEvent::SessionUpdate { session, .. } = event else {
        panic!("not a session.update: {event:?}")
    };
    let SessionConfig::Realtime(config) = session.as_ref() else {
        panic!("not a realtime session")
    };
    config.audio.as_ref().unwrap().input.as_ref().unwrap()
}

#[test]
fn meaningful_nulls_stay_apart_from_absent_and_values() {
    let null = json!({"type": "session.update", "session": {"type": "realtime", "audio": {"input": {
        "turn_detection": null, "transcription": null, "noise_reduction": null}}}});
    let absent =
        json!({"type": "session.update", "session": {"type": "realtime", "audio": {"input": {}}}});
    let value = json!({"type": "session.update", "session": {"type": "realtime", "audio": {"input": {
        "turn_detection": {"type": "semantic_vad"}, "transcription": {"model": "whisper-1"},
        "noise_reduction": {"type": "far_field"}}}}});

    let parsed_null = ClientEvent::from_str_checked(&null);
    let input = audio_input(&parsed_null);
    assert_eq!(input.turn_detection, Some(Nullable::Null));
    assert_eq!(input.transcription, Some(Nullable::Null));
    assert_eq!(input.noise_reduction, Some(Nullable::Null));

    let parsed_absent = ClientEvent::from_str_checked(&absent);
    let input = audio_input(&parsed_absent);
    assert_eq!(
        (
            input.turn_detection.is_none(),
            input.transcription.is_none()
        ),
        (true, true)
    );

    let parsed_value = ClientEvent::from_str_checked(&value);
    assert!(matches!(
        audio_input(&parsed_value).turn_detection,
        Some(Nullable::Value(_))
    ));

    for frame in [&null, &absent, &value] {
        assert_eq!(&round_trip(frame), frame);
    }
}

#[test]
fn tracing_null_auto_and_object_round_trip() {
    for tracing in [
        json!(null),
        json!("auto"),
        json!({"workflow_name": "w", "metadata": {"k": [1, 2]}}),
    ] {
        let frame =
            json!({"type": "session.update", "session": {"type": "realtime", "tracing": tracing}});
        assert_eq!(round_trip(&frame), frame);
    }
}

#[test]
fn nulls_on_non_nullable_members_are_the_only_normalization() {
    let frame = json!({"type": "conversation.item.create", "event_id": null, "previous_item_id": null,
        "item": {"type": "message", "role": "user", "id": null, "content": [{"type": "input_text", "text": "hi"}]}});
    let after = round_trip(&frame);
    let found = changes(&frame, &after);
    let pointers: Vec<&str> = found.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(pointers, ["/event_id", "/previous_item_id", "/item/id"]);
    assert!(found.iter().all(|c| c.kind == ChangeKind::NullDropped));

    let create = json!({"type": "response.create", "response": null, "event_id": null});
    assert_eq!(round_trip(&create), json!({"type": "response.create"}));
}

#[test]
fn unknown_members_are_kept_at_every_depth() {
    let frame = json!({"type": "session.update", "x-top": 1, "session": {"type": "realtime", "x-session": [true],
        "tools": [{"type": "function", "name": "f", "x-tool": {"a": null}}],
        "audio": {"output": {"voice": "marin", "x-out": "y"}}}});
    assert_eq!(round_trip(&frame), frame);
    let event = ClientEvent::from_str_checked(&frame);
    let extra = event.extra().unwrap();
    assert_eq!(extra.get("x-top").map(|v| v.get()), Some("1"));
    assert_eq!(extra.get_value("x-top"), Some(json!(1)));
}

#[test]
fn type_may_come_last_at_every_depth() {
    let first = json!({"type": "conversation.item.create", "item": {"type": "message", "role": "assistant",
        "content": [{"type": "output_text", "text": "ok"}]}});
    let last = r#"{"item":{"content":[{"text":"ok","type":"output_text"}],"role":"assistant","type":"message"},"type":"conversation.item.create"}"#;
    assert_eq!(
        ClientEvent::from_slice(last.as_bytes()).unwrap(),
        ClientEvent::from_str_checked(&first)
    );

    let tool_last = r#"{"session":{"tools":[{"name":"f","parameters":{"type":"object"},"type":"function"},{"server_label":"s","server_url":"https://x","type":"mcp"}],"type":"realtime"},"type":"session.update"}"#;
    let event = ClientEvent::from_slice(tool_last.as_bytes()).unwrap();
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        serde_json::from_str::<Value>(tool_last).unwrap()
    );
}

#[test]
fn optional_tags_are_not_injected() {
    // RealtimeFunctionTool and the audio format branches do not require `type`.
    let frame = json!({"type": "session.update", "session": {"type": "realtime",
        "tools": [{"name": "no_type"}, {}], "audio": {"input": {"format": {}}, "output": {"format": {"rate": 24000}}}}});
    assert_eq!(round_trip(&frame), frame);
}

#[test]
fn catch_all_keeps_the_whole_frame() {
    let frame = json!({"session": {"input_audio_format": "pcm16", "turn_detection": null},
        "event_id": "e1", "type": "transcription_session.update"});
    let event = ClientEvent::from_str_checked(&frame);
    assert_eq!(event.event_type(), "unknown");
    assert_eq!(event.wire_type(), "transcription_session.update");
    assert_eq!(event.event_id().as_deref(), Some("e1"));
    assert_eq!(round_trip(&frame), frame);
}

#[test]
fn parameters_keep_member_order() {
    let text = r#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"f","parameters":{"type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"number"},"mid":{"type":"boolean"}},"required":["zeta"]}}]}}"#;
    let event = ClientEvent::from_slice(text.as_bytes()).unwrap();
    assert_eq!(event.to_json(), text);
}

trait FromValue {
    fn from_str_checked(frame: &Value) -> ClientEvent;
}

impl FromValue for ClientEvent {
    fn from_str_checked(frame: &Value) -> ClientEvent {
        frame
            .to_string()
            .parse()
            .unwrap_or_else(|e| panic!("{frame}: {e}"))
    }
}
