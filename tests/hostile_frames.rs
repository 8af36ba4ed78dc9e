//! The hostile corpus: frames an attacker or an unlucky client could send,
//! generated here in memory (none is committed as a file), each with the
//! outcome it must have: a parse error naming its path, or acceptance with
//! the findings listed, and whether the round trip gives back the exact
//! bytes. Every frame goes through `check::verdict::judge`, what
//! `realtime-harness check` runs per frame, and accepted ones through
//! `ClientEvent::from_slice` and `to_vec` as a proxy would.
//!
//! Sizes are the issue's, except three that take too long in a debug build
//! and run at full size in `benches/hostile_memory.rs` instead (with their
//! peak heap and time): 1,000,000 unknown members (here 100,000), 100,000
//! tools (here 10,000) and 50 MB of instructions (here 5 MB). None is
//! skipped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use realtime_harness::check::verdict::{judge, judge_keeping, Outcome, Verdict};
use realtime_harness::check::{validate_frame_text, Report, Rule, DEFAULT_FINDINGS_KEPT};
use realtime_harness::ClientEvent;

/// The verdict, with the frame's start in the failure message.
fn verdict(frame: &[u8]) -> Verdict {
    judge(frame, None)
}

fn head(frame: &[u8]) -> String {
    String::from_utf8_lossy(&frame[..frame.len().min(120)]).into_owned()
}

/// The frame is refused: a parse error at `path` whose message contains `says`.
#[track_caller]
fn refused(frame: &[u8], path: &str, says: &str) {
    let v = verdict(frame);
    assert_eq!(v.outcome, Outcome::ParseError, "{}: {v:?}", head(frame));
    let error = v.error.expect("a parse error has its error");
    assert_eq!(
        error.path.as_deref().unwrap_or(""),
        path,
        "{}: {error:?}",
        head(frame)
    );
    assert!(
        error.message.contains(says),
        "{}: {error:?} does not say {says:?}",
        head(frame)
    );
}

/// The frame is read and judged with exactly the findings `expected`
/// (rule and pointer, in any order); `faithful` says whether the model
/// writes back the very same bytes.
///
/// Parses once and checks as `judge` does (`judge` parses before its
/// verdict, and a second parse of the large frames would double the time
/// of a debug build).
#[track_caller]
fn accepted(frame: &[u8], expected: &[(Rule, &str)], faithful: bool) {
    let event =
        ClientEvent::from_slice(frame).unwrap_or_else(|e| panic!("{}: refused: {e}", head(frame)));
    let text = std::str::from_utf8(frame).expect("parsed, so UTF-8");
    let report = validate_frame_text(&event, text);
    let mut found: Vec<(Rule, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.pointer.as_str()))
        .collect();
    let mut want = expected.to_vec();
    found.sort();
    want.sort();
    assert_eq!(found, want, "{}", head(frame));
    assert_eq!(
        event.to_vec() == frame,
        faithful,
        "{}: byte-faithful round trip expected {faithful}",
        head(frame)
    );
}

/// `value` as the value of an unknown member: accepted, kept as written,
/// and reported only as an unknown member.
fn kept_as_unknown_member(value: &str) {
    accepted(
        &clear_with(&format!(r#""x":{value}"#)),
        &[(Rule::UnknownMember, "/x")],
        true,
    );
}

fn clear_with(member: &str) -> Vec<u8> {
    format!(r#"{{"type":"input_audio_buffer.clear",{member}}}"#).into_bytes()
}

fn truncate_at(audio_end_ms: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"conversation.item.truncate","item_id":"item_1","content_index":0,"audio_end_ms":{audio_end_ms}}}"#
    )
    .into_bytes()
}

fn tool_parameters(parameters: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"session.update","session":{{"type":"realtime","tools":[{{"type":"function","name":"f","parameters":{parameters}}}]}}}}"#
    )
    .into_bytes()
}

fn speed(value: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"session.update","session":{{"type":"realtime","audio":{{"output":{{"speed":{value}}}}}}}}}"#
    )
    .into_bytes()
}

#[test]
fn nesting_a_million_levels_deep_is_refused_with_its_path() {
    let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    refused(deep.as_bytes(), "", "invalid type");
    // Free-form JSON nests as deep as serde_json reads (127 containers,
    // counted from the frame); the path names the one that went too deep.
    let path = format!("x{}", "[0]".repeat(126));
    refused(
        &clear_with(&format!(r#""x":{deep}"#)),
        &path,
        "recursion limit exceeded",
    );
    let objects = format!("{}0{}", r#"{"a":"#.repeat(1_000_000), "}".repeat(1_000_000));
    let path = format!("session.tools[0].parameters{}", ".a".repeat(123));
    refused(
        &tool_parameters(&objects),
        &path,
        "recursion limit exceeded",
    );
    // A typed member stops at the first level of the wrong type.
    let items = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    refused(
        format!(r#"{{"type":"session.update","session":{{"type":"realtime","output_modalities":{items}}}}}"#)
            .as_bytes(),
        "session.output_modalities[0]",
        "invalid type: sequence, expected a string",
    );
}

#[test]
fn long_numbers_are_kept_as_written_where_free_form_and_refused_where_typed() {
    let digits = "7".repeat(100_000);
    kept_as_unknown_member(&digits);
    refused(&truncate_at(&digits), "audio_end_ms", "");
    let tiny = format!("0.{}1e5", "0".repeat(100_000));
    // Before free-form JSON kept its text, this became `0.0` without a finding.
    kept_as_unknown_member(&tiny);
    accepted(
        &tool_parameters(&format!(
            r#"{{"default":{tiny},"big":1e400,"neg":-0,"wide":18446744073709551616}}"#
        )),
        &[],
        true,
    );
    // A typed float: the value is read as a number (0), written `0.0`; same value, no finding.
    accepted(
        &speed(&tiny),
        &[(Rule::SpeedRange, "/session/audio/output/speed")],
        false,
    );
}

#[test]
fn out_of_range_numbers() {
    kept_as_unknown_member("1e400");
    refused(
        &speed("1e400"),
        "session.audio.output.speed",
        "number out of range",
    );
    // `-0` is kept as written where free-form; serde_json reads it as a
    // float, so an integer member refuses it.
    kept_as_unknown_member("-0");
    refused(
        &truncate_at("-0"),
        "audio_end_ms",
        "floating point `-0.0`, expected i64",
    );
    accepted(
        &speed("-0"),
        &[(Rule::SpeedRange, "/session/audio/output/speed")],
        false,
    );
    // 2^64 does not fit an i64.
    let two_64 = "18446744073709551616";
    kept_as_unknown_member(two_64);
    refused(&truncate_at(two_64), "audio_end_ms", "");
    refused(&truncate_at("9223372036854775808"), "audio_end_ms", "");
}

#[test]
fn bytes_that_are_not_json_text() {
    let mut invalid = clear_with(r#""event_id":"ab""#);
    let at = invalid.iter().position(|&b| b == b'a').unwrap() + 1;
    invalid[at] = 0xff;
    let v = verdict(&invalid);
    assert_eq!(v.outcome, Outcome::NotUtf8, "{v:?}");
    assert!(v.error.unwrap().message.contains("invalid UTF-8 at byte"));

    // A byte-order mark is not JSON whitespace.
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend_from_slice(br#"{"type":"input_audio_buffer.clear"}"#);
    refused(&bom, "", "expected value");

    // A raw NUL inside a string is a control character; an escaped one is text.
    refused(
        &clear_with("\"event_id\":\"a\u{0}b\""),
        "event_id",
        "control character",
    );
    accepted(&clear_with(r#""event_id":"a\u0000b""#), &[], true);
    kept_as_unknown_member(r#""a\u0000b""#);
}

#[test]
fn lone_surrogates() {
    // A typed string must decode; a lone surrogate does not.
    refused(
        &clear_with(r#""event_id":"\ud800""#),
        "event_id",
        "hex escape",
    );
    refused(
        &clear_with(r#""event_id":"\ud800\u0041""#),
        "event_id",
        "surrogate",
    );
    refused(
        &clear_with(r#""event_id":"\udc00x""#),
        "event_id",
        "surrogate",
    );
    // Free-form text keeps it as written: JSON's grammar allows the escape.
    kept_as_unknown_member(r#""\ud800""#);
    accepted(&tool_parameters(r#"{"\ud800":1}"#), &[], true);
}

#[test]
fn duplicate_member_names_at_every_depth() {
    // In typed objects: refused, naming the member; the path is the
    // object's (empty at the top), as in the corpus's `duplicate-*` frames.
    refused(
        br#"{"type":"input_audio_buffer.clear","type":"input_audio_buffer.clear"}"#,
        "",
        "duplicate field `type`",
    );
    // At the top, as the corpus's `duplicate-top-level-key` shows, the
    // error has its line and column but no path.
    refused(
        br#"{"type":"input_audio_buffer.clear","event_id":"a","event_id":"b"}"#,
        "",
        "duplicate field `event_id`",
    );
    refused(&clear_with(r#""x":1,"x":2"#), "", "duplicate field `x`");
    refused(
        br#"{"type":"session.update","session":{"type":"realtime","type":"realtime"}}"#,
        "session",
        "duplicate field `type`",
    );
    refused(
        br#"{"type":"session.update","session":{"type":"realtime","audio":{"output":{"speed":1,"speed":1}}}}"#,
        "session.audio.output",
        "duplicate field `speed`",
    );
    // Type late: the buffered members are held to the same rule.
    refused(
        br#"{"session":{"type":"realtime","instructions":"a","instructions":"b"},"type":"session.update"}"#,
        "session",
        "duplicate field `instructions`",
    );
    // Sixteen and more unknown members: found when the object ends.
    let many: String = (0..40).map(|i| format!(r#""m{i}":0,"#)).collect();
    refused(
        &clear_with(&format!(r#"{many}"m7":1"#)),
        "",
        "duplicate field `m7`",
    );
    // In free-form JSON: kept, and reported with their pointers.
    accepted(
        &tool_parameters(r#"{"k":1,"k":2,"p":{"q":[{"r":0,"r":0}],"q":null}}"#),
        &[
            (Rule::DuplicateMember, "/session/tools/0/parameters/k"),
            (Rule::DuplicateMember, "/session/tools/0/parameters/p/q"),
            (Rule::DuplicateMember, "/session/tools/0/parameters/p/q/0/r"),
        ],
        true,
    );
    accepted(
        &clear_with(r#""x":{"a":1,"a":2}"#),
        &[(Rule::UnknownMember, "/x"), (Rule::DuplicateMember, "/x/a")],
        true,
    );
}

/// 20 MiB of audio bytes, base64: over the spec's 15 MiB.
#[test]
fn twenty_mebibytes_of_audio() {
    let encoded = "AAAA".repeat((20 << 20) / 3);
    let frame = format!(r#"{{"type":"input_audio_buffer.append","audio":"{encoded}"}}"#);
    accepted(frame.as_bytes(), &[(Rule::AudioSize, "/audio")], true);
}

/// 5 MB here: 50 MB take 15 s in a debug build; `benches/hostile_memory.rs`
/// runs the 50 MB frame.
#[test]
fn five_megabytes_of_instructions() {
    let frame = format!(
        r#"{{"type":"session.update","session":{{"type":"realtime","instructions":"{}"}}}}"#,
        "a".repeat(5_000_000)
    );
    accepted(frame.as_bytes(), &[], true);
}

#[test]
fn a_hundred_thousand_unknown_members() {
    let n = 100_000;
    let mut members = String::new();
    for i in 0..n {
        let _ = write!(members, r#"{}"x{i:06}":0"#, if i > 0 { "," } else { "" });
    }
    let report = accepted_count(&clear_with(&members), n);
    // The report keeps the first findings and counts the rest by rule.
    let kept = DEFAULT_FINDINGS_KEPT;
    assert_eq!(report.findings.len(), kept);
    assert!(report
        .findings
        .iter()
        .all(|f| f.rule == Rule::UnknownMember));
    assert_eq!(
        report.findings[kept - 1].pointer,
        format!("/x{:06}", kept - 1)
    );
    assert_eq!(
        report.omitted,
        BTreeMap::from([(Rule::UnknownMember, n - kept)])
    );
    assert_eq!(report.warning_count(), n);
    assert!(report.is_conformant());
}

/// Like [`accepted`] for frames with one finding per item: checks the
/// count of findings (kept or not) and the round trip.
fn accepted_count(frame: &[u8], findings: usize) -> Report {
    let event = ClientEvent::from_slice(frame).unwrap();
    let report = validate_frame_text(&event, std::str::from_utf8(frame).unwrap());
    assert_eq!(report.total(), findings);
    assert!(report.findings.len() <= 2 * DEFAULT_FINDINGS_KEPT);
    assert!(event.to_vec() == frame, "byte-faithful round trip");
    report
}

/// More findings than the report keeps: the first `keep` of each severity
/// are kept in walk order, the rest counted exactly, and an error past a
/// flood of warnings still decides the outcome.
#[test]
fn findings_past_the_kept_ones_are_counted_exactly() {
    let n = 5_000;
    let members: Vec<String> = (0..n).map(|i| format!(r#""u{i}":{i}"#)).collect();
    let frame = format!(
        r#"{{"type":"conversation.item.truncate","item_id":"i","content_index":0,"audio_end_ms":-5,{},"event_id":"{}"}}"#,
        members.join(","),
        "e".repeat(513)
    );
    for keep in [0, 1, 10, 4_999, 5_000, usize::MAX] {
        let verdict = judge_keeping(frame.as_bytes(), None, keep);
        let report = &verdict.report;
        assert_eq!(verdict.outcome, Outcome::Invalid, "keep {keep}");
        assert_eq!(report.total(), n + 2, "keep {keep}");
        assert_eq!(
            (report.error_count(), report.warning_count()),
            (2, n),
            "keep {keep}"
        );
        assert!(!report.is_conformant());
        assert!(report.has(Rule::EventIdLength) && report.has(Rule::NonNegative));
        let kept_warnings = keep.min(n);
        let kept_errors = keep.min(2);
        assert_eq!(
            report.findings.len(),
            kept_warnings + kept_errors,
            "keep {keep}"
        );
        assert_eq!(
            report
                .omitted
                .get(&Rule::UnknownMember)
                .copied()
                .unwrap_or(0),
            n - kept_warnings
        );
        assert_eq!(report.omitted_count(), n + 2 - report.findings.len());
        // The kept warnings are the first ones, in walk order.
        let pointers: Vec<&str> = report
            .warnings()
            .map(|f| f.pointer.as_str())
            .take(3)
            .collect();
        let first: Vec<String> = (0..kept_warnings.min(3))
            .map(|i| format!("/u{i}"))
            .collect();
        assert_eq!(pointers, first, "keep {keep}");
    }
    // The library's default keeps 1,000 of each.
    let report = judge(frame.as_bytes(), None).report;
    assert_eq!(report.findings.len(), DEFAULT_FINDINGS_KEPT + 2);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["omitted"]["unknown-member"], n - DEFAULT_FINDINGS_KEPT);
}

fn joined(n: usize, item: &str) -> String {
    let mut out = String::with_capacity(n * (item.len() + 1));
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out
}

/// 10,000 tools here (100,000 take 6 s in a debug build; the benchmark
/// runs them), 10,000 content parts and 10,000 input items.
#[test]
fn wide_arrays() {
    let tools = joined(
        10_000,
        r#"{"type":"function","name":"f","description":"d","parameters":{"type":"object"}}"#,
    );
    let frame =
        format!(r#"{{"type":"session.update","session":{{"type":"realtime","tools":[{tools}]}}}}"#);
    accepted(frame.as_bytes(), &[], true);

    let parts = joined(10_000, r#"{"type":"input_text","text":"hi"}"#);
    let frame = format!(
        r#"{{"type":"conversation.item.create","item":{{"type":"message","role":"user","content":[{parts}]}}}}"#
    );
    accepted(frame.as_bytes(), &[], true);

    let items = joined(
        10_000,
        r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}"#,
    );
    let frame = format!(r#"{{"type":"response.create","response":{{"input":[{items}]}}}}"#);
    accepted(frame.as_bytes(), &[], true);
}
