//! Bad input: every error names where (JSON path, line and column) and what
//! was expected, and nothing panics, however deep or large the input.

use realtime_harness::{ClientEvent, ErrorCategory};

fn error(frame: &str) -> String {
    match ClientEvent::from_slice(frame.as_bytes()) {
        Ok(event) => panic!("{frame} parsed as {event:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_path_expectation_and_position() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"type":"session.update","session":{"type":"realtime","audio":{"input":{"format":{"rate":"x"}}}}}"#,
            r#"session.audio.input.format.rate: invalid type: string "x", expected u32 at line 1 column 92"#,
        ),
        (
            r#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":7}]}}"#,
            "session.tools[0].name: invalid type: integer `7`, expected a string at line 1 column 90",
        ),
        (
            r#"{"type":"conversation.item.delete"}"#,
            "missing field `item_id` at line 1 column 35",
        ),
        (
            r#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"output_text"}]}}"#,
            "item.content[0].type: unknown variant `output_text`, expected one of `input_text`, `input_audio`, `input_image` at line 1 column 106",
        ),
        (
            r#"{"type":"session.update","session":{"type":"realtime","audio":{"output":{"voice":{"id":"v","name":"x"}}}}}"#,
            "session.audio.output.voice: unknown field `name`, expected `id` at line 1 column 97",
        ),
        (
            r#"{"type":"input_audio_buffer.append","audio":"AAAA","audio":"BBBB"}"#,
            "duplicate field `audio` at line 1 column 58",
        ),
        (r#"{"type":7}"#, "type: invalid type: integer `7`, expected a string at line 1 column 9"),
        // Columns are 1-based and point at the offending `[`/`{` itself (serde_json stops
        // one short of it: it only peeked), and at column 1 when input ends at a line start.
        (r#"["session.update"]"#, "invalid type: sequence, expected a client event object at line 1 column 1"),
        ("\n  [1]", "invalid type: sequence, expected a client event object at line 2 column 3"),
        (r#"{"type": {}}"#, "type: invalid type: map, expected a string at line 1 column 10"),
        ("{\"type\":\"response.cancel\",\n", "EOF while parsing a value at line 2 column 1"),
        ("", "EOF while parsing a value at line 1 column 1"),
        (r#"{"type":"response.cancel"} {}"#, "trailing characters at line 1 column 28"),
        (
            r#"{"type":"session.update","session":{"type":"realtime","max_output_tokens":"lots"}}"#,
            r#"session.max_output_tokens: invalid value: string "lots", expected an integer or "inf" at line 1 column 80"#,
        ),
    ];
    for (frame, expected) in cases {
        assert_eq!(&error(frame), expected, "for {frame}");
    }
}

/// The "string or object" values build their "expected ..." text from the
/// enums' values and the objects' own names (`one_of!`); these texts are the
/// ones the hand-written visitors produced, so that a new enum value or a
/// reworded object shows up here.
#[test]
fn one_of_values_name_every_branch() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"type":"session.update","session":{"type":"realtime","tracing":7}}"#,
            r#"session.tracing: invalid type: integer `7`, expected "auto" or a tracing configuration object at line 1 column 65"#,
        ),
        (
            r#"{"type":"session.update","session":{"type":"realtime","truncation":[]}}"#,
            r#"session.truncation: invalid type: sequence, expected "auto", "disabled" or a retention_ratio truncation object at line 1 column 70"#,
        ),
        (
            r#"{"type":"response.create","response":{"tool_choice":true}}"#,
            r#"response.tool_choice: invalid type: boolean `true`, expected "none", "auto", "required" or a tool choice object at line 1 column 56"#,
        ),
        (
            r#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"mcp","server_label":"s","allowed_tools":"x"}]}}"#,
            r#"session.tools[0].allowed_tools: invalid type: string "x", expected an array of tool names or an MCP tool filter object at line 1 column 115"#,
        ),
        (
            r#"{"type":"session.update","session":{"type":"realtime","tools":[{"type":"mcp","server_label":"s","require_approval":1.5}]}}"#,
            r#"session.tools[0].require_approval: invalid type: floating point `1.5`, expected "always", "never" or an MCP tool approval filter object at line 1 column 118"#,
        ),
        (
            r#"{"type":"response.create","response":{"max_output_tokens":18446744073709551615}}"#,
            r#"response.max_output_tokens: invalid value: integer `18446744073709551615`, expected an integer or "inf" at line 1 column 78"#,
        ),
    ];
    for (frame, expected) in cases {
        assert_eq!(&error(frame), expected, "for {frame}");
    }
}

#[test]
fn buffered_members_keep_their_full_path() {
    // `type` last: the session is buffered before the event type is known.
    let frame = r#"{"session":{"audio":{"input":{"turn_detection":{"type":"server_vad","threshold":"high"}}},"type":"realtime"},"type":"session.update"}"#;
    let err = ClientEvent::from_slice(frame.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "session.audio.input.turn_detection.threshold");
    assert_eq!(
        err.message(),
        r#"invalid type: string "high", expected f64"#
    );
    assert!(err.line() > 0);
}

#[test]
fn truncated_frames_are_eof_errors_at_every_cut() {
    let frame = r#"{"type":"session.update","event_id":"e","session":{"type":"realtime","instructions":"hi","tools":[{"type":"function","name":"f","parameters":{"a":[1,2,{"b":null}]}}]}}"#;
    for cut in 0..frame.len() {
        let err = ClientEvent::from_slice(&frame.as_bytes()[..cut]).unwrap_err();
        assert!(
            matches!(
                err.category(),
                ErrorCategory::Eof | ErrorCategory::Syntax | ErrorCategory::Data
            ),
            "cut {cut}: {err}"
        );
        assert!(err.line() > 0 || !err.path().is_empty(), "cut {cut}: {err}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let frame = format!(
        r#"{{"type":"session.update","session":{{"type":"realtime","tools":[{{"type":"function","parameters":{{"a":{}{}}}}}]}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = ClientEvent::from_slice(frame.as_bytes()).unwrap_err();
    assert!(err.message().contains("recursion limit"), "{err}");

    let nested_objects = format!(
        r#"{{"type":"x","a":{}1{}}}"#,
        r#"{"a":"#.repeat(depth),
        "}".repeat(depth)
    );
    let err = ClientEvent::from_slice(nested_objects.as_bytes()).unwrap_err();
    assert!(err.message().contains("recursion limit"), "{err}");
}

#[test]
fn invalid_utf8_and_control_bytes_are_syntax_errors() {
    let err =
        ClientEvent::from_slice(b"{\"type\":\"input_audio_buffer.append\",\"audio\":\"\xff\"}")
            .unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Syntax, "{err}");
    let err =
        ClientEvent::from_slice(b"{\"type\":\"input_audio_buffer.append\",\"audio\":\"a\x01\"}")
            .unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Syntax, "{err}");
}

/// Found by the corpus work: a member buffered before a late `type` was read
/// as a plain `serde_json::Value`, which keeps the last of two duplicates.
#[test]
fn duplicates_inside_buffered_members_are_rejected() {
    for frame in [
        r#"{"session":{"model":"a","model":"b","type":"realtime"},"type":"session.update"}"#,
        r#"{"type":"conversation.item.create","item":{"role":"user","content":[{"type":"input_text","text":"x","text":"y"}],"type":"message"}}"#,
        r#"{"type":"x.unknown","a":{"b":1,"b":2}}"#,
    ] {
        assert!(error(frame).contains("duplicate field"), "{frame}");
    }
}

/// Found by the corpus work: errors in members that precede a late tag were
/// placed where the tag was read; they now point at the member's value.
#[test]
fn late_tag_errors_point_at_the_member() {
    let frame = "{\n  \"event_id\": 901,\n  \"type\": \"input_audio_buffer.commit\"\n}";
    assert_eq!(
        error(frame),
        "event_id: invalid type: integer `901`, expected a string at line 2 column 15"
    );
}

/// Found by the corpus work: closed-enum errors were raised after the
/// object ended, so a bad last member was placed after the closing brace.
#[test]
fn enum_errors_point_at_the_value_even_when_last() {
    let frame = "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\n\"output_modalities\":[\"video\"]}}";
    assert_eq!(
        error(frame),
        "session.output_modalities[0]: unknown variant `video`, expected `text` or `audio` at line 2 column 28"
    );
    let dup = "{\"type\":\"transcription_session.update\",\n\"session\":{},\n\"session\":{}}";
    assert_eq!(error(dup), "duplicate field `session` at line 3 column 9");
}
