//! The model bugs the properties found, each as its minimal frame with the
//! root cause beside it. The seeds that found them stay in
//! `proptest-regressions/`; these tests say the same thing in a form a
//! reader can check by eye, and keep saying it if a generator changes.

use realtime_harness::fidelity::{changes, ChangeKind};
use realtime_harness::ClientEvent;
use serde_json::{json, Value};

use crate::fidelity::frame_of;

/// Found by `fidelity::injected_nulls_change_exactly_what_the_rules_say`
/// (`proptest-regressions/fidelity.txt`).
///
/// `RealtimeFunctionTool.type` is optional and not nullable, so by the
/// model's rule an explicit `null` there reads as absent, like on every other
/// such member. But `type` is also the tag of the tool union, and the union
/// reads its tag as a string before it knows the variant, so `null` is a type
/// error ("invalid type: null, expected a string") instead.
#[test]
fn null_type_on_a_function_tool_reads_as_absent() {
    let with_null = json!({"type": "session.update", "session": {"type": "realtime",
        "tools": [{"type": null, "name": "f"}]}});
    let without = json!({"type": "session.update", "session": {"type": "realtime",
        "tools": [{"name": "f"}]}});
    let parse = |frame: &Value| ClientEvent::from_slice(frame.to_string().as_bytes());
    let event = parse(&with_null).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Ok(&event), parse(&without).as_ref());
    let found = changes(&with_null, &frame_of(&event));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/session/tools/0/type");
    assert_eq!(found[0].kind, ChangeKind::NullDropped);
}

/// Found by `errors::error_text_does_not_grow_with_the_payload`
/// (`proptest-regressions/errors.txt`).
///
/// serde's messages quote the offending value whole (`unknown variant
/// `...``, `invalid type: string "..."`), and `ParseError` keeps them, so a
/// frame with a megabyte-sized string in the wrong place gives a
/// megabyte-sized error, which a proxy then logs. `Debug` of the audio is
/// bounded for that very reason; the error text is not.
#[test]
fn error_text_does_not_quote_a_whole_payload() {
    let big = "A".repeat(100_000);
    for frame in [
        json!({"type": "conversation.item.create", "item": {"type": big}}),
        json!({"type": "conversation.item.truncate", "item_id": "i", "content_index": big, "audio_end_ms": 0}),
    ] {
        let e = ClientEvent::from_slice(frame.to_string().as_bytes()).expect_err("invalid");
        let text = e.to_string();
        assert!(
            text.len() <= 1024,
            "{} bytes: {}…",
            text.len(),
            &text[..120]
        );
    }
}
/// Found by `errors::display_shows_path_message_and_position`
/// (`proptest-regressions/errors.txt`, with `PROPTEST_RNG_SEED=1`).
///
/// `ParseError` is displayed "on one line", but serde's messages quote member
/// names and variants raw between backticks (`unknown field`, `unknown
/// variant`, `duplicate field`), so a name holding a line break (legal in
/// JSON as `\n`) splits the error over several lines, and other control
/// characters reach the log as they are. Values quoted by `invalid type`
/// are escaped already; names and variants are not.
#[test]
fn error_text_is_one_line_whatever_the_names() {
    for frame in [
        r#"{"type": "input_audio_buffer.clear", "a\nb": 1, "a\nb": 2}"#.to_owned(),
        json!({"type": "conversation.item.create", "item": {"type": "a\nb"}}).to_string(),
        json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"output": {"voice": {"id": "v", "a\nb": 1}}}}})
        .to_string(),
    ] {
        let e = ClientEvent::from_slice(frame.as_bytes()).expect_err("invalid");
        let text = e.to_string();
        assert!(!text.contains(['\n', '\r']), "{text:?} for {frame}");
    }
}
