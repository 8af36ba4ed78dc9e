//! Every server conformance rule, on a frame that breaks it and on frames
//! that do not.

use realtime_harness::check::{validate_server_frame, Direction, Report, Rule};
use realtime_harness::ServerEvent;
use serde_json::{json, Value};

fn check(frame: &Value) -> Report {
    validate_server_frame(&parsed(frame, ServerEvent::from_slice), frame)
}

/// A server event of type `kind` (`event_id` `event_1`) with `members`.
fn event(kind: &str, members: Value) -> Value {
    let mut frame = json!({"type": kind, "event_id": "event_1"});
    for (k, v) in members.as_object().unwrap() {
        frame[k] = v.clone();
    }
    frame
}

fn response_done(response: Value) -> Value {
    event("response.done", json!({ "response": response }))
}

fn done(status: &str, details: Value) -> Value {
    let mut response = json!({"object": "realtime.response", "id": "resp_1", "status": status});
    if !details.is_null() {
        response["status_details"] = details;
    }
    response_done(response)
}

fn usage(usage: Value) -> Value {
    response_done(json!({"id": "resp_1", "status": "completed", "usage": usage}))
}

fn delta(members: Value) -> Value {
    let mut frame = json!({"type": "response.output_audio.delta", "event_id": "event_2",
        "response_id": "resp_1", "item_id": "item_1", "output_index": 0, "content_index": 0,
        "delta": "UklGRg=="});
    for (k, v) in members.as_object().unwrap() {
        frame[k] = v.clone();
    }
    frame
}

mod rule_cases;
use rule_cases::{good_frames_are_clean, parsed, uncovered, Case};

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: Rule::UnknownServerEventType,
            bad: vec![(
                json!({"type": "response.future", "event_id": "event_1"}),
                "/type",
            )],
            good: vec![json!({"type": "input_audio_buffer.cleared", "event_id": "event_1"})],
        },
        Case {
            rule: Rule::LegacyEventType,
            bad: vec![
                (
                    json!({"type": "response.audio.delta", "event_id": "event_1", "delta": "AA=="}),
                    "/type",
                ),
                (
                    json!({"type": "response.text.done", "event_id": "event_1"}),
                    "/type",
                ),
            ],
            good: vec![delta(json!({}))],
        },
        Case {
            rule: Rule::IdNonEmpty,
            bad: vec![
                (delta(json!({"item_id": ""})), "/item_id"),
                (
                    json!({"type": "conversation.item.deleted", "event_id": "", "item_id": "item_1"}),
                    "/event_id",
                ),
            ],
            good: vec![
                json!({"type": "conversation.item.deleted", "event_id": "event_3", "item_id": "item_1"}),
            ],
        },
        Case {
            rule: Rule::IdPrefix,
            bad: vec![
                (delta(json!({"response_id": "r1"})), "/response_id"),
                (delta(json!({"event_id": "e1"})), "/event_id"),
            ],
            good: vec![delta(json!({"item_id": "item_CmP8"}))],
        },
        Case {
            rule: Rule::ResponseStatus,
            bad: vec![
                (
                    json!({"type": "response.created", "event_id": "event_1",
                        "response": {"id": "resp_1", "status": "completed"}}),
                    "/response/status",
                ),
                (
                    response_done(json!({"id": "resp_1", "status": "in_progress"})),
                    "/response/status",
                ),
                (response_done(json!({"id": "resp_1"})), "/response"),
            ],
            good: vec![
                json!({"type": "response.created", "event_id": "event_1",
                       "response": {"id": "resp_1", "object": "realtime.response", "status": "in_progress",
                                    "output": [], "conversation_id": "conv_1"}}),
                done("completed", Value::Null),
            ],
        },
        Case {
            rule: Rule::StatusDetails,
            bad: vec![
                (done("cancelled", Value::Null), "/response"),
                (
                    done(
                        "cancelled",
                        json!({"type": "incomplete", "reason": "turn_detected"}),
                    ),
                    "/response/status_details/type",
                ),
                (
                    done(
                        "incomplete",
                        json!({"type": "incomplete", "reason": "client_cancelled"}),
                    ),
                    "/response/status_details/reason",
                ),
                (
                    done("failed", json!({"type": "failed"})),
                    "/response/status_details",
                ),
            ],
            good: vec![
                done(
                    "cancelled",
                    json!({"type": "cancelled", "reason": "turn_detected"}),
                ),
                done(
                    "incomplete",
                    json!({"type": "incomplete", "reason": "max_output_tokens"}),
                ),
                done(
                    "failed",
                    json!({"type": "failed", "error": {"type": "server_error", "code": "internal"}}),
                ),
                done("completed", json!({"type": "completed"})),
            ],
        },
        Case {
            rule: Rule::UsageTotals,
            bad: vec![
                (
                    usage(json!({"total_tokens": 10, "input_tokens": 3, "output_tokens": 4})),
                    "/response/usage/total_tokens",
                ),
                (
                    usage(
                        json!({"input_tokens": 5, "input_token_details": {"text_tokens": 1, "audio_tokens": 1}}),
                    ),
                    "/response/usage/input_token_details",
                ),
                (
                    usage(json!({"input_tokens": 5, "input_token_details": {"cached_tokens": 9}})),
                    "/response/usage/input_token_details/cached_tokens",
                ),
                (
                    json!({"type": "conversation.item.input_audio_transcription.completed", "event_id": "event_1",
                        "item_id": "item_1", "content_index": 0, "transcript": "hi",
                        "usage": {"type": "tokens", "input_tokens": 2, "output_tokens": 2, "total_tokens": 5}}),
                    "/usage/total_tokens",
                ),
            ],
            good: vec![
                usage(
                    json!({"total_tokens": 7, "input_tokens": 3, "output_tokens": 4,
                             "input_token_details": {"cached_tokens": 1, "text_tokens": 2, "audio_tokens": 1, "image_tokens": 0,
                                                     "cached_tokens_details": {"text_tokens": 1, "audio_tokens": 0, "image_tokens": 0}},
                             "output_token_details": {"text_tokens": 1, "audio_tokens": 3}}),
                ),
                json!({"type": "conversation.item.input_audio_transcription.completed", "event_id": "event_1",
                       "item_id": "item_1", "content_index": 0, "transcript": "hi",
                       "usage": {"type": "duration", "seconds": 2}}),
            ],
        },
        Case {
            rule: Rule::ServerSession,
            bad: vec![(
                event(
                    "session.created",
                    json!({"session": {"type": "realtime", "object": "realtime.session"}}),
                ),
                "/session",
            )],
            good: vec![
                event(
                    "session.updated",
                    json!({"session": {"type": "transcription", "object": "realtime.transcription_session", "id": "sess_1", "expires_at": 0}}),
                ),
                event(
                    "session.created",
                    json!({"session": {"type": "realtime", "object": "realtime.session", "id": "sess_1",
                                      "model": "gpt-realtime", "expires_at": 1764000000,
                                      "audio": {"output": {"voice": "marin", "speed": 1.0}},
                                      "max_output_tokens": "inf", "truncation": "auto"}}),
                ),
            ],
        },
        Case {
            rule: Rule::ServerVoiceName,
            bad: vec![(
                response_done(json!({"id": "resp_1", "status": "completed",
                                            "audio": {"output": {"voice": {"id": "voice_1234"}}}})),
                "/response/audio/output/voice",
            )],
            good: vec![response_done(json!({"id": "resp_1", "status": "completed",
                                            "audio": {"output": {"voice": "cedar"}}}))],
        },
        Case {
            rule: Rule::RateLimitRemaining,
            bad: vec![(
                event(
                    "rate_limits.updated",
                    json!({"rate_limits": [{"name": "tokens", "limit": 10, "remaining": 11, "reset_seconds": 1.5}]}),
                ),
                "/rate_limits/0/remaining",
            )],
            good: vec![event(
                "rate_limits.updated",
                json!({"rate_limits": [{"name": "requests", "limit": 1000, "remaining": 999, "reset_seconds": 0.06}]}),
            )],
        },
        Case {
            rule: Rule::NonNegative,
            bad: vec![(delta(json!({"output_index": -1})), "/output_index")],
            good: vec![delta(json!({"output_index": 3, "content_index": 1}))],
        },
        Case {
            rule: Rule::AudioBase64,
            bad: vec![(delta(json!({"delta": "not base64!"})), "/delta")],
            good: vec![delta(json!({"delta": ""}))],
        },
        Case {
            rule: Rule::ItemReferencePlacement,
            bad: vec![(
                event(
                    "conversation.item.added",
                    json!({"item": {"type": "item_reference", "id": "item_1"}}),
                ),
                "/item",
            )],
            good: vec![event(
                "conversation.item.added",
                json!({"previous_item_id": null,
                       "item": {"id": "item_2", "object": "realtime.item", "type": "message", "status": "completed",
                                "role": "user", "content": [{"type": "input_audio", "transcript": "hello"}]}}),
            )],
        },
    ]
}

#[test]
fn every_case_finds_its_rule_where_expected() {
    for case in cases() {
        for (frame, pointer) in &case.bad {
            let report = check(frame);
            let hit = report.findings.iter().find(|f| f.rule == case.rule);
            assert!(
                hit.is_some_and(|f| f.pointer == *pointer),
                "{} at {pointer} in {frame}: {:#?}",
                case.rule,
                report.findings
            );
        }
    }
    good_frames_are_clean(&cases(), check);
}

#[test]
fn every_server_rule_has_a_case() {
    let untested = uncovered(&cases(), |r| r.direction() == Direction::Server);
    assert!(
        untested.is_empty(),
        "server rules without a case: {untested:?}"
    );
}

#[test]
fn real_server_nulls_are_warnings_only() {
    let frame = json!({"type": "response.done", "event_id": "event_1",
        "response": {"object": "realtime.response", "id": "resp_1", "status": "completed",
                     "status_details": null, "usage": null, "metadata": null, "output": []}});
    let report = check(&frame);
    assert!(report.is_conformant(), "{:#?}", report.findings);
    let nulls: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::NullMember)
        .map(|f| f.pointer.as_str())
        .collect();
    assert_eq!(nulls, ["/response/status_details", "/response/usage"]);
}
