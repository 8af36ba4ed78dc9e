//! The tracker's own cases; `proptests/state_machine.rs` drives it with
//! generated sessions of the `serve` machine.

use super::*;

fn rules(found: &[StateFinding]) -> Vec<&'static str> {
    found.iter().map(|f| f.rule.id()).collect()
}

/// An `error` event with these members in its `error`.
fn error(details: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"error","event_id":"e","error":{{"type":"invalid_request_error","message":"m"{details}}}}}"#
    )
    .into_bytes()
}

/// Found by `proptests/state_machine.rs` (seed in
/// `proptest-regressions/state_machine.txt`): a frame the model rejects
/// was not remembered as sent, so the server's error naming its
/// `event_id` was taken to name an event the client never sent.
#[test]
fn a_rejected_frame_still_names_its_event() {
    let mut tracker = Tracker::new();
    let mut found = Vec::new();
    tracker.client(
        1,
        br#"{"type":"response.create","event_id":"evt_1","response":{"output_modalities":"text"}}"#,
        &mut found,
    );
    tracker.server(2, &error(r#","event_id":"evt_1""#), &mut found);
    assert!(found.is_empty(), "{found:?}");
    tracker.server(3, &error(r#","event_id":"evt_9""#), &mut found);
    assert_eq!(rules(&found), ["error-without-event-id"]);
}

#[test]
fn unprompted_errors_need_no_event_id() {
    let mut tracker = Tracker::new();
    let mut found = Vec::new();
    tracker.client(
        1,
        br#"{"type":"input_audio_buffer.clear","event_id":"c"}"#,
        &mut found,
    );
    tracker.server(2, &error(r#","code":"session_expired""#), &mut found);
    assert!(found.is_empty(), "{found:?}");
    tracker.server(3, &error(""), &mut found);
    assert_eq!(rules(&found), ["error-without-event-id"]);
    assert_eq!(found[0].at, 3);
}

#[test]
fn a_truncate_past_the_streamed_audio_is_the_servers_error_if_confirmed() {
    let mut tracker = Tracker::new();
    let mut found = Vec::new();
    // 4800 bytes of PCM16: 100 ms.
    let response = one_part_response(
        serde_json::json!({"type": "output_audio"}),
        "response.output_audio.delta",
        &"A".repeat(6400),
    );
    feed(&mut tracker, 1, &response, &mut found);
    assert!(found.is_empty(), "{found:?}");
    let truncated = |ms: i64| {
        serde_json::json!({"type": "conversation.item.truncated",
        "event_id": "e", "item_id": "i", "content_index": 0, "audio_end_ms": ms})
    };
    feed(&mut tracker, 8, &[truncated(100)], &mut found);
    assert!(found.is_empty(), "{found:?}");
    // Now it holds 100 ms at most; 101 is past it.
    feed(&mut tracker, 9, &[truncated(101)], &mut found);
    assert_eq!(rules(&found), ["truncate-confirmed-beyond-audio"]);
    tracker.finish(&mut found);
    assert_eq!(found.len(), 1, "every response was done");
}

/// Feeds `events` as server frames numbered from `first` on.
fn feed(tracker: &mut Tracker, first: u64, events: &[Value], found: &mut Vec<StateFinding>) {
    for (n, event) in events.iter().enumerate() {
        tracker.server(first + n as u64, event.to_string().as_bytes(), found);
    }
}

/// The findings on `events` (frames 1 on), the end included.
fn serve_all(events: &[Value]) -> Vec<StateFinding> {
    let mut tracker = Tracker::new();
    let mut found = Vec::new();
    feed(&mut tracker, 1, events, &mut found);
    tracker.finish(&mut found);
    found
}

/// A response `r` with one assistant item `i` of one content part `part`:
/// created, item added, part added, one `delta_type` event of `delta`,
/// part done, item done, response done.
fn one_part_response(part: Value, delta_type: &str, delta: &str) -> Vec<Value> {
    let item = serde_json::json!({"id": "i", "type": "message", "role": "assistant",
        "content": [part.clone()]});
    let of = |kind: &str| {
        serde_json::json!({"type": kind, "event_id": "e", "response_id": "r", "item_id": "i",
            "output_index": 0, "content_index": 0})
    };
    let mut part_added = of("response.content_part.added");
    part_added["part"] = part.clone();
    let mut delta_event = of(delta_type);
    delta_event["delta"] = delta.into();
    let mut part_done = of("response.content_part.done");
    part_done["part"] = part;
    vec![
        serde_json::json!({"type": "response.created", "event_id": "e",
            "response": {"id": "r", "object": "realtime.response", "status": "in_progress"}}),
        serde_json::json!({"type": "response.output_item.added", "event_id": "e",
            "response_id": "r", "output_index": 0, "item": item}),
        part_added,
        delta_event,
        part_done,
        serde_json::json!({"type": "response.output_item.done", "event_id": "e",
            "response_id": "r", "output_index": 0, "item": item}),
        serde_json::json!({"type": "response.done", "event_id": "e",
            "response": {"id": "r", "object": "realtime.response", "status": "completed"}}),
    ]
}

/// [`one_part_response`] with the text `hi`.
fn text_response() -> Vec<Value> {
    one_part_response(
        serde_json::json!({"type": "output_text", "text": "hi"}),
        "response.output_text.delta",
        "hi",
    )
}

/// (rule, at) of each finding.
fn placed(found: &[StateFinding]) -> Vec<(&'static str, u64)> {
    found.iter().map(|f| (f.rule.id(), f.at)).collect()
}

#[test]
fn a_response_in_order_has_no_finding() {
    assert_eq!(placed(&serve_all(&text_response())), []);
}

#[test]
fn done_before_the_items_done_and_events_after_it_are_out_of_order() {
    let mut events = text_response();
    // `response.done` moved before the part's and the item's done events.
    let done = events.remove(6);
    events.insert(4, done);
    assert_eq!(
        placed(&serve_all(&events)),
        [
            ("done-before-item-done", 5),
            ("event-after-done", 6),
            ("event-after-done", 7)
        ]
    );
    // A delta after the item's done event.
    let mut events = text_response();
    let delta = events[3].clone();
    events.insert(6, delta);
    assert_eq!(placed(&serve_all(&events)), [("event-after-done", 7)]);
}

#[test]
fn output_indexes_parts_and_responses_must_match_what_was_announced() {
    // The first item added at index 1.
    let mut events = text_response();
    events[1]["output_index"] = 1.into();
    assert_eq!(
        placed(&serve_all(&events)),
        [
            ("output-reference-mismatch", 2),
            ("output-reference-mismatch", 3),
            ("output-reference-mismatch", 4),
            ("output-reference-mismatch", 5),
            ("output-reference-mismatch", 6)
        ]
    );
    // A delta of a part never announced, and one naming another response.
    let mut events = text_response();
    events[3]["content_index"] = 1.into();
    let mut other = events[4].clone();
    other["response_id"] = "r_other".into();
    events.insert(5, other);
    let found = serve_all(&events);
    assert_eq!(
        placed(&found),
        [
            ("unannounced-id", 4),
            ("unannounced-id", 6),
            ("output-reference-mismatch", 6)
        ]
    );
    assert_eq!(found[0].pointer, "/content_index");
    assert_eq!(found[1].pointer, "/response_id");
    // An item only the conversation announced is not a response's output.
    let mut events = text_response();
    events[1] = serde_json::json!({"type": "conversation.item.added", "event_id": "e",
        "previous_item_id": null, "item": events[1]["item"].clone()});
    let found = serve_all(&events);
    assert_eq!(
        placed(&found),
        [
            ("unannounced-id", 3),
            ("unannounced-id", 4),
            ("unannounced-id", 5),
            ("unannounced-id", 6)
        ]
    );
    assert_eq!(found[3].pointer, "/item/id");
}
