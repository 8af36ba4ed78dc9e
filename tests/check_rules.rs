//! Every conformance rule, on a frame that breaks it and on frames that do
//! not; plus the official examples, which break none.

use std::collections::BTreeSet;

use realtime_harness::check::{validate, validate_frame, Direction, Report, Rule, Severity};
use realtime_harness::ClientEvent;
use serde_json::{json, Value};

/// A rule, the frames that break it (with the pointer of the finding), and
/// frames that must come out with no finding at all.
mod rule_cases;
use rule_cases::{good_frames_are_clean, parsed, uncovered, Case};

fn check(frame: &Value) -> Report {
    validate_frame(&parsed(frame, ClientEvent::from_slice), frame)
}

fn session(session: Value) -> Value {
    json!({"type": "session.update", "session": session})
}

fn realtime(members: Value) -> Value {
    let mut s = json!({"type": "realtime"});
    merge(&mut s, members);
    session(s)
}

fn transcription(input: Value) -> Value {
    session(json!({"type": "transcription", "audio": {"input": input}}))
}

fn merge(target: &mut Value, members: Value) {
    let (Value::Object(t), Value::Object(m)) = (target, members) else {
        panic!("merge needs objects");
    };
    t.extend(m);
}

fn user(part: Value) -> Value {
    json!({"type": "conversation.item.create",
           "item": {"type": "message", "role": "user", "content": [part]}})
}

fn assistant_create(part: Value) -> Value {
    json!({"type": "conversation.item.create",
           "item": {"type": "message", "role": "assistant", "content": [part]}})
}

fn response(members: Value) -> Value {
    json!({"type": "response.create", "response": members})
}

fn server_vad(members: Value) -> Value {
    let mut vad = json!({"type": "server_vad"});
    merge(&mut vad, members);
    realtime(json!({"audio": {"input": {"turn_detection": vad}}}))
}

fn mcp(members: Value) -> Value {
    let mut tool = json!({"type": "mcp", "server_label": "docs"});
    merge(&mut tool, members);
    realtime(json!({"tools": [tool]}))
}

fn metadata(pairs: usize, key_len: usize, value_len: usize) -> Value {
    let mut map = serde_json::Map::new();
    for i in 0..pairs {
        let key = format!("{i:0>width$}", width = key_len.max(2));
        map.insert(key, Value::String("v".repeat(value_len)));
    }
    response(json!({"metadata": map}))
}

/// A rule on one member of a `server_vad` turn detection: a frame with each
/// `bad` value, found at `pointer`, and one with each `good` value.
fn server_vad_case(
    rule: Rule,
    member: &str,
    pointer: &'static str,
    bad: [Value; 2],
    good: Vec<Value>,
) -> Case {
    let frame = |value: Value| server_vad(json!({ member: value }));
    Case {
        rule,
        bad: bad.map(|value| (frame(value), pointer)).into(),
        good: good.into_iter().map(frame).collect(),
    }
}

/// A metadata rule: a `response.create` whose metadata breaks it (found at
/// `pointer`) and one just inside the limit, each given as the `(pairs, key
/// length, value length)` of [`metadata`].
fn metadata_case(
    rule: Rule,
    bad: (usize, usize, usize),
    pointer: &'static str,
    good: (usize, usize, usize),
) -> Case {
    Case {
        rule,
        bad: vec![(metadata(bad.0, bad.1, bad.2), pointer)],
        good: vec![metadata(good.0, good.1, good.2)],
    }
}

const PNG: &str = "data:image/png;base64,iVBORw0KGgo=";
const TUNNEL: &str = "tunnel_0123456789abcdefghijklmnopqrstuv";

fn cases() -> Vec<Case> {
    let audio_15_mib = base64_of(15 * 1024 * 1024);
    let audio_over = base64_of(15 * 1024 * 1024 + 1);
    vec![
        Case {
            rule: Rule::UnknownEventType,
            bad: vec![(json!({"type": "session.create"}), "/type")],
            good: vec![json!({"type": "input_audio_buffer.clear"})],
        },
        Case {
            rule: Rule::BetaEventType,
            bad: vec![(
                json!({"type": "transcription_session.update", "session": {}}),
                "/type",
            )],
            good: vec![transcription(json!({"transcription": {"model": "gpt-4o-transcribe"}}))],
        },
        Case {
            rule: Rule::EventIdLength,
            bad: vec![(
                json!({"type": "input_audio_buffer.commit", "event_id": "é".repeat(513)}),
                "/event_id",
            )],
            good: vec![
                json!({"type": "input_audio_buffer.commit", "event_id": "é".repeat(512)}),
                // The spec gives this one event's `event_id` no maxLength.
                json!({"type": "output_audio_buffer.clear", "event_id": "x".repeat(600)}),
            ],
        },
        Case {
            rule: Rule::AudioBase64,
            bad: vec![
                (
                    json!({"type": "input_audio_buffer.append", "audio": "abc"}),
                    "/audio",
                ),
                (
                    json!({"type": "input_audio_buffer.append", "audio": "AA-_"}),
                    "/audio",
                ),
                (
                    user(json!({"type": "input_audio", "audio": "AAAA AAAA"})),
                    "/item/content/0/audio",
                ),
            ],
            good: vec![
                json!({"type": "input_audio_buffer.append", "audio": "AAECAw=="}),
                user(json!({"type": "input_audio", "audio": "AAAA"})),
            ],
        },
        Case {
            rule: Rule::AudioSize,
            bad: vec![
                (
                    json!({"type": "input_audio_buffer.append", "audio": audio_over}),
                    "/audio",
                ),
                (
                    user(json!({"type": "input_audio", "audio": audio_over})),
                    "/item/content/0/audio",
                ),
            ],
            good: vec![json!({"type": "input_audio_buffer.append", "audio": audio_15_mib})],
        },
        Case {
            rule: Rule::ContentPartType,
            bad: vec![
                (user(json!({"text": "hi"})), "/item/content/0"),
                (
                    json!({"type": "response.create", "response": {"input": [
                        {"type": "message", "role": "assistant", "content": [{"text": "hi"}]}
                    ]}}),
                    "/response/input/0/content/0",
                ),
            ],
            good: vec![
                user(json!({"type": "input_text", "text": "hi"})),
                // A system part can only be `input_text`: no `type` is no ambiguity.
                json!({"type": "conversation.item.create",
                       "item": {"type": "message", "role": "system", "content": [{"text": "be brief"}]}}),
            ],
        },
        Case {
            rule: Rule::ContentPartMember,
            bad: vec![
                (user(json!({"type": "input_text"})), "/item/content/0"),
                (user(json!({"type": "input_audio"})), "/item/content/0"),
                (user(json!({"type": "input_image"})), "/item/content/0"),
                (
                    json!({"type": "conversation.item.create",
                           "item": {"type": "message", "role": "system", "content": [{"type": "input_text"}]}}),
                    "/item/content/0",
                ),
                (
                    assistant_create(json!({"type": "output_text"})),
                    "/item/content/0",
                ),
                (
                    response(json!({"input": [{"type": "message", "role": "assistant",
                                               "content": [{"type": "output_audio", "audio": "AAAA"}]}]})),
                    "/response/input/0/content/0",
                ),
            ],
            good: vec![
                user(json!({"type": "input_audio", "audio": "AAAA", "transcript": "hello"})),
                user(json!({"type": "input_image", "image_url": PNG, "detail": "low"})),
                assistant_create(json!({"type": "output_text", "text": "hi"})),
                response(json!({"input": [{"type": "message", "role": "assistant",
                                           "content": [{"type": "output_audio", "transcript": "hi"}]}]})),
            ],
        },
        Case {
            rule: Rule::ContentPartForeignMember,
            bad: vec![
                (
                    user(json!({"type": "input_text", "text": "hi", "transcript": "hi"})),
                    "/item/content/0/transcript",
                ),
                (
                    user(json!({"type": "input_image", "image_url": PNG, "text": "a cat"})),
                    "/item/content/0/text",
                ),
                (
                    assistant_create(json!({"type": "output_text", "text": "hi", "audio": "AAAA"})),
                    "/item/content/0/audio",
                ),
            ],
            good: vec![user(json!({"type": "input_text", "text": "hi"}))],
        },
        Case {
            rule: Rule::AssistantAudio,
            bad: vec![(
                assistant_create(json!({"type": "output_audio", "transcript": "hi"})),
                "/item/content/0",
            )],
            good: vec![
                response(json!({"input": [{"type": "message", "role": "assistant",
                                           "content": [{"type": "output_audio", "transcript": "hi"}]}]})),
            ],
        },
        Case {
            rule: Rule::ItemReferencePlacement,
            bad: vec![(
                json!({"type": "conversation.item.create", "item": {"type": "item_reference", "id": "item_1"}}),
                "/item",
            )],
            good: vec![response(
                json!({"input": [{"type": "item_reference", "id": "item_1"}]}),
            )],
        },
        Case {
            rule: Rule::ContentIndexZero,
            bad: vec![(truncate(2, 1500), "/content_index")],
            good: vec![truncate(0, 1500)],
        },
        Case {
            rule: Rule::NonNegative,
            bad: vec![
                (truncate(-1, 0), "/content_index"),
                (truncate(0, -5), "/audio_end_ms"),
                (
                    server_vad(json!({"prefix_padding_ms": -1})),
                    "/session/audio/input/turn_detection/prefix_padding_ms",
                ),
                (
                    server_vad(json!({"silence_duration_ms": -200})),
                    "/session/audio/input/turn_detection/silence_duration_ms",
                ),
                (
                    realtime(json!({"truncation": {"type": "retention_ratio", "retention_ratio": 0.5,
                                                   "token_limits": {"post_instructions": -1}}})),
                    "/session/truncation/token_limits/post_instructions",
                ),
            ],
            good: vec![
                truncate(0, 0),
                server_vad(json!({"prefix_padding_ms": 0, "silence_duration_ms": 500})),
                realtime(json!({"truncation": {"type": "retention_ratio", "retention_ratio": 0.5,
                                               "token_limits": {"post_instructions": 0}}})),
            ],
        },
        Case {
            rule: Rule::SpeedRange,
            bad: vec![
                (
                    realtime(json!({"audio": {"output": {"speed": 1.6}}})),
                    "/session/audio/output/speed",
                ),
                (
                    realtime(json!({"audio": {"output": {"speed": 0.2}}})),
                    "/session/audio/output/speed",
                ),
            ],
            good: vec![
                realtime(json!({"audio": {"output": {"speed": 0.25}}})),
                realtime(json!({"audio": {"output": {"speed": 1.5}}})),
            ],
        },
        server_vad_case(
            Rule::VadThresholdRange,
            "threshold",
            "/session/audio/input/turn_detection/threshold",
            [json!(1.01), json!(-0.1)],
            vec![json!(0.0), json!(1)],
        ),
        server_vad_case(
            Rule::IdleTimeoutRange,
            "idle_timeout_ms",
            "/session/audio/input/turn_detection/idle_timeout_ms",
            [json!(4999), json!(30001)],
            vec![json!(5000), json!(30000), Value::Null],
        ),
        Case {
            rule: Rule::RetentionRatioRange,
            bad: vec![(
                realtime(json!({"truncation": {"type": "retention_ratio", "retention_ratio": 1.5}})),
                "/session/truncation/retention_ratio",
            )],
            good: vec![realtime(
                json!({"truncation": {"type": "retention_ratio", "retention_ratio": 1}}),
            )],
        },
        Case {
            rule: Rule::MaxOutputTokensRange,
            bad: vec![
                (
                    realtime(json!({"max_output_tokens": 0})),
                    "/session/max_output_tokens",
                ),
                (
                    response(json!({"max_output_tokens": 4097})),
                    "/response/max_output_tokens",
                ),
            ],
            good: vec![
                realtime(json!({"max_output_tokens": 1})),
                response(json!({"max_output_tokens": 4096})),
                response(json!({"max_output_tokens": "inf"})),
            ],
        },
        Case {
            rule: Rule::PcmRate,
            bad: vec![
                (
                    realtime(json!({"audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}}})),
                    "/session/audio/input/format/rate",
                ),
                (
                    response(json!({"audio": {"output": {"format": {"rate": 48000}}}})),
                    "/response/audio/output/format/rate",
                ),
            ],
            good: vec![
                realtime(json!({"audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000}}}})),
                realtime(json!({"audio": {"output": {"format": {"type": "audio/pcm"}}}})),
            ],
        },
        Case {
            rule: Rule::G711Rate,
            bad: vec![(
                realtime(json!({"audio": {"input": {"format": {"type": "audio/pcmu", "rate": 8000}}}})),
                "/session/audio/input/format/rate",
            )],
            good: vec![realtime(
                json!({"audio": {"input": {"format": {"type": "audio/pcma"}}}}),
            )],
        },
        Case {
            rule: Rule::OutputModalities,
            bad: vec![
                (
                    realtime(json!({"output_modalities": ["text", "audio"]})),
                    "/session/output_modalities",
                ),
                (
                    response(json!({"output_modalities": ["audio", "text"]})),
                    "/response/output_modalities",
                ),
            ],
            good: vec![
                realtime(json!({"output_modalities": ["text"]})),
                response(json!({"output_modalities": ["audio"]})),
            ],
        },
        Case {
            rule: Rule::MinItems,
            bad: vec![
                (
                    transcription(json!({"transcription": {"model": "gpt-transcribe", "languages": []}})),
                    "/session/audio/input/transcription/languages",
                ),
                (
                    mcp(json!({"server_url": "https://example.com/mcp", "allowed_callers": []})),
                    "/session/tools/0/allowed_callers",
                ),
            ],
            good: vec![
                transcription(json!({"transcription": {"model": "gpt-transcribe", "languages": ["en"]}})),
                mcp(json!({"server_url": "https://example.com/mcp", "allowed_callers": ["direct"]})),
                mcp(json!({"server_url": "https://example.com/mcp", "allowed_callers": null})),
            ],
        },
        metadata_case(Rule::MetadataSize, (17, 2, 1), "/response/metadata", (16, 2, 1)),
        Case {
            rule: Rule::MetadataKeyLength,
            bad: vec![(metadata(1, 65, 1), "/response/metadata/00000000000000000000000000000000000000000000000000000000000000000")],
            good: vec![metadata(1, 64, 1)],
        },
        metadata_case(Rule::MetadataValueLength, (1, 2, 513), "/response/metadata/00", (1, 2, 512)),
        Case {
            rule: Rule::TunnelIdPattern,
            bad: vec![
                (mcp(json!({"tunnel_id": "tunnel_ABC"})), "/session/tools/0/tunnel_id"),
                (
                    mcp(json!({"tunnel_id": TUNNEL.to_uppercase()})),
                    "/session/tools/0/tunnel_id",
                ),
            ],
            good: vec![mcp(json!({"tunnel_id": TUNNEL}))],
        },
        Case {
            rule: Rule::McpServerTarget,
            bad: vec![(mcp(json!({})), "/session/tools/0")],
            good: vec![
                mcp(json!({"server_url": "https://example.com/mcp"})),
                mcp(json!({"connector_id": "connector_gmail"})),
            ],
        },
        Case {
            rule: Rule::UriFormat,
            bad: vec![
                (
                    mcp(json!({"server_url": "example.com/mcp"})),
                    "/session/tools/0/server_url",
                ),
                (
                    user(json!({"type": "input_image", "image_url": "cat.png"})),
                    "/item/content/0/image_url",
                ),
                (
                    response(json!({"prompt": {"id": "pmpt_1", "variables": {
                        "doc": {"type": "input_file", "file_url": "no scheme here"}}}})),
                    "/response/prompt/variables/doc/file_url",
                ),
            ],
            good: vec![response(json!({"prompt": {"id": "pmpt_1", "variables": {
                "doc": {"type": "input_file", "file_url": "https://example.com/a.pdf"},
                "img": {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "auto"},
                "name": "Ada"}}}))],
        },
        Case {
            rule: Rule::ImageDataUri,
            bad: vec![(
                user(json!({"type": "input_image", "image_url": "https://example.com/cat.gif"})),
                "/item/content/0/image_url",
            )],
            good: vec![
                user(json!({"type": "input_image", "image_url": "data:image/jpeg;base64,/9j/4AAQ"})),
            ],
        },
        Case {
            rule: Rule::WhisperTurnDetection,
            bad: vec![(
                transcription(json!({"transcription": {"model": "gpt-realtime-whisper"},
                                     "turn_detection": {"type": "server_vad"}})),
                "/session/audio/input/turn_detection",
            )],
            good: vec![
                transcription(json!({"transcription": {"model": "gpt-realtime-whisper"},
                                     "turn_detection": null})),
                transcription(json!({"transcription": {"model": "gpt-4o-transcribe"},
                                     "turn_detection": {"type": "semantic_vad"}})),
            ],
        },
        Case {
            rule: Rule::TranscriptionModelSupport,
            bad: vec![
                (
                    transcription(json!({"transcription": {"model": "whisper-1", "delay": "low"}})),
                    "/session/audio/input/transcription/delay",
                ),
                (
                    transcription(json!({"transcription": {"model": "gpt-realtime-whisper", "prompt": "tech"},
                                         "turn_detection": null})),
                    "/session/audio/input/transcription/prompt",
                ),
                (
                    transcription(json!({"transcription": {"model": "gpt-4o-transcribe", "keywords": ["Rust"]}})),
                    "/session/audio/input/transcription/keywords",
                ),
            ],
            good: vec![
                transcription(json!({"transcription": {"model": "gpt-realtime-whisper", "delay": "low"},
                                     "turn_detection": null})),
                transcription(json!({"transcription": {"model": "gpt-live-transcribe", "keywords": ["Rust"]}})),
                // Unknown models may support anything.
                transcription(json!({"transcription": {"model": "future-transcribe", "delay": "low"}})),
            ],
        },
        Case {
            rule: Rule::ArgumentsJson,
            bad: vec![(
                json!({"type": "conversation.item.create", "item": {
                    "type": "function_call", "name": "f", "arguments": "{city: Paris}"}}),
                "/item/arguments",
            )],
            good: vec![json!({"type": "conversation.item.create", "item": {
                "type": "function_call", "name": "f", "arguments": "{\"city\": \"Paris\"}"}})],
        },
        Case {
            rule: Rule::UnknownMember,
            bad: vec![
                (
                    json!({"type": "input_audio_buffer.clear", "x-trace": 1}),
                    "/x-trace",
                ),
                (
                    server_vad(json!({"threshhold": 0.5})),
                    "/session/audio/input/turn_detection/threshhold",
                ),
                (realtime(json!({"modalities": ["text"]})), "/session/modalities"),
                (
                    user(json!({"type": "input_text", "text": "hi", "a/b": 1})),
                    "/item/content/0/a~1b",
                ),
            ],
            good: vec![realtime(json!({"tracing": {"workflow_name": "w", "metadata": {"any": null}}}))],
        },
        Case {
            rule: Rule::NullMember,
            bad: vec![
                (
                    json!({"type": "input_audio_buffer.clear", "event_id": null}),
                    "/event_id",
                ),
                (
                    realtime(json!({"instructions": null})),
                    "/session/instructions",
                ),
            ],
            good: vec![
                realtime(json!({"audio": {"input": {"turn_detection": null, "noise_reduction": null,
                                                    "transcription": null}},
                                "tracing": null, "prompt": null})),
            ],
        },
    ]
}

fn truncate(content_index: i64, audio_end_ms: i64) -> Value {
    json!({"type": "conversation.item.truncate", "item_id": "item_1",
           "content_index": content_index, "audio_end_ms": audio_end_ms})
}

fn base64_of(len: usize) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(vec![0u8; len])
}

#[test]
fn every_rule_fires_on_its_bad_frames_and_not_on_good_ones() {
    for case in cases() {
        assert!(
            !case.bad.is_empty() && !case.good.is_empty(),
            "{}",
            case.rule
        );
        for (frame, pointer) in &case.bad {
            let report = check(frame);
            let hit = report
                .findings
                .iter()
                .find(|f| f.rule == case.rule && f.pointer == *pointer);
            assert!(
                hit.is_some(),
                "{} did not fire at {pointer}; findings: {:#?}",
                case.rule,
                report.findings
            );
            let hit = hit.unwrap();
            assert_eq!(hit.severity(), case.rule.severity());
            assert!(!hit.schema.is_empty() && !hit.message.contains('\n'));
        }
    }
    good_frames_are_clean(&cases(), check);
}

/// Findings on a frame given as text.
fn check_text(text: &str) -> Report {
    let event = ClientEvent::from_slice(text.as_bytes())
        .unwrap_or_else(|e| panic!("test frame does not parse: {e}\n{text}"));
    realtime_harness::check::validate_frame_text(&event, text)
}

#[test]
fn duplicate_member_names_in_free_form_json_are_reported() {
    let bad = [
        (
            r#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"f","parameters":{"k":1,"k":2}}]}}"#,
            "/session/tools/0/parameters/k",
        ),
        (
            r#"{"type":"session.update","session":{"type":"realtime","tracing":{"metadata":{"a":{"b":1,"b":1}}}}}"#,
            "/session/tracing/metadata/a/b",
        ),
        (
            r#"{"type":"input_audio_buffer.clear","x-v":[{"q":0,"q":0}]}"#,
            "/x-v/0/q",
        ),
    ];
    for (frame, pointer) in bad {
        let report = check_text(frame);
        let hit = report
            .findings
            .iter()
            .find(|f| f.rule == Rule::DuplicateMember && f.pointer == pointer);
        assert!(hit.is_some(), "{frame}: {:#?}", report.findings);
        assert_eq!(hit.unwrap().severity(), Rule::DuplicateMember.severity());
        // Kept as written: the round trip loses neither member.
        assert!(
            !report.has(Rule::RoundTrip),
            "{frame}: {:#?}",
            report.findings
        );
    }
    let good = r#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"f","parameters":{"k":1,"j":{"k":2}}}]}}"#;
    assert!(
        check_text(good).is_empty(),
        "{:#?}",
        check_text(good).findings
    );
}

#[test]
fn every_rule_has_a_case() {
    // Server rules have their cases in `tests/check_server_rules.rs`.
    let untested = uncovered(&cases(), |r| {
        // A repeated member name cannot be written as a `Value`: its cases
        // are texts, in `duplicate_member_names_in_free_form_json_are_reported`.
        r.direction() != Direction::Server && *r != Rule::RoundTrip && *r != Rule::DuplicateMember
    });
    assert!(untested.is_empty(), "rules without a case: {untested:?}");
}

#[test]
fn rule_ids_are_unique_kebab_case_and_round_trip() {
    let mut seen = BTreeSet::new();
    for rule in Rule::ALL {
        let id = rule.id();
        assert!(seen.insert(id), "duplicate id {id}");
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{id}"
        );
        assert_eq!(Rule::from_id(id), Some(*rule));
    }
}

#[test]
fn round_trip_changes_other_than_dropped_nulls_are_errors() {
    // A model that re-serializes faithfully never triggers this rule, so the
    // test hands the checker a frame that differs from the parsed event.
    let event: ClientEvent = r#"{"type": "response.cancel", "response_id": "resp_1"}"#
        .parse()
        .unwrap();
    let frame = json!({"type": "response.cancel", "response_id": "resp_2", "event_id": null});
    let report = validate_frame(&event, &frame);
    let rules: Vec<(Rule, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.pointer.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            (Rule::RoundTrip, "/response_id"),
            (Rule::NullMember, "/event_id")
        ]
    );
    assert!(!report.is_conformant());
    assert_eq!(
        report.findings[0].schema,
        "RealtimeClientEventResponseCancel"
    );

    let same = json!({"type": "response.cancel", "response_id": "resp_1"});
    assert!(validate_frame(&event, &same).is_empty());
}

#[test]
fn null_member_names_the_schema_of_its_object() {
    let frame = server_vad(json!({"threshold": null}));
    let report = check(&frame);
    let finding = &report.findings[0];
    assert_eq!(finding.rule, Rule::NullMember);
    assert_eq!(finding.schema, "RealtimeTurnDetection");
    assert_eq!(
        finding.pointer,
        "/session/audio/input/turn_detection/threshold"
    );
}

#[test]
fn beta_era_frames_are_labelled_as_such() {
    let report = check(&json!({"type": "transcription_session.update", "session": {}}));
    let finding = &report.findings[0];
    assert_eq!(
        finding.schema,
        "RealtimeClientEventTranscriptionSessionUpdate"
    );
    assert!(finding.message.contains("beta-era"), "{}", finding.message);

    let report = check(&realtime(json!({"input_audio_format": "pcm16"})));
    assert!(
        report.findings[0].message.contains("beta-era"),
        "{}",
        report.findings[0]
    );
}

#[test]
fn validate_without_the_frame_sees_no_nulls() {
    let text = r#"{"type": "input_audio_buffer.clear", "event_id": null}"#;
    let event: ClientEvent = text.parse().unwrap();
    assert!(validate(&event).is_empty());
}

#[test]
fn findings_display_on_one_line_with_rule_pointer_and_schema() {
    let report = check(&json!({"type": "input_audio_buffer.append", "audio": "abc"}));
    assert_eq!(
        report.findings[0].to_string(),
        "error[audio-base64] /audio: `audio` is not valid base64: length 3 is not a multiple of 4 \
         (padded base64) (RealtimeClientEventInputAudioBufferAppend)"
    );
    let json = serde_json::to_value(&report).unwrap();
    let first = &json["findings"][0];
    assert_eq!(first["rule"], "audio-base64");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["pointer"], "/audio");
    assert!(json.get("omitted").is_none(), "{json}");
    assert_eq!(Severity::Warning.as_str(), "warning");
}
