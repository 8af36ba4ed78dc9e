//! Check frames against the rules of the GA spec that the types do not enforce, as
//! `realtime-harness check` does: parse, then validate with the frame's JSON so that the
//! explicit `null`s the model reads as absent are reported too.
//!
//!     cargo run --example validate

use realtime_harness::check::{validate_frame, Rule, Severity};
use realtime_harness::ClientEvent;

fn main() {
    let frames = [
        r#"{"type":"input_audio_buffer.append","audio":"AAAA"}"#,
        r#"{"type":"input_audio_buffer.append","audio":"not:base64"}"#,
        r#"{"type":"input_audio_buffer.commit","event_id":null}"#,
        r#"{"type":"session.update","session":{"type":"realtime","audio":{"output":{"speed":3}}}}"#,
        r#"{"type":"response.creat"}"#,
    ];
    let mut errors = 0;
    for (line, frame) in frames.iter().enumerate() {
        let event: ClientEvent = frame.parse().expect("these frames parse");
        let value: serde_json::Value = serde_json::from_str(frame).unwrap();
        let report = validate_frame(&event, &value);
        if report.is_empty() {
            println!("{}: {}: ok", line + 1, event.wire_type());
        }
        for finding in &report.findings {
            // Each finding: severity, stable rule id, JSON pointer, message, spec schema.
            println!("{}: {}: {finding}", line + 1, event.wire_type());
            errors += usize::from(finding.severity() == Severity::Error);
        }
        if line == 2 {
            assert!(report.has(Rule::NullMember) && report.is_conformant());
        }
    }
    assert_eq!(errors, 3);
}
