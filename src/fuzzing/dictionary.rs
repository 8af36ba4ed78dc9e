//! The libFuzzer dictionary `fuzz/client_event.dict`, generated from the
//! model's own vocabulary ([`crate::shape::vocabulary`]) so it cannot drift:
//! a test regenerates it with `REALTIME_HARNESS_BLESS=1` and otherwise fails
//! when the committed file differs.

use std::fmt::Write as _;

/// JSON tokens worth inserting whole: literals, and numbers at the edges the
/// model's integer and float members care about.
const JSON_TOKENS: &[&str] = &[
    "null",
    "true",
    "false",
    "{}",
    "[]",
    "\":",
    "-1",
    "0.5",
    "1e400",
    "9223372036854775807",
    "18446744073709551616",
    "\\u0000",
    "\\ud800",
];

/// The dictionary text: one entry per line, in libFuzzer's format.
///
/// Every word of the vocabulary (event types, member names, union tags and
/// their values, enum values, known values of open sets) appears as a JSON
/// string (`"\"session.update\""`), and every member name also as a key
/// (`"\"session\":"`), followed by a few JSON tokens.
pub fn client_event_dict() -> String {
    let words = crate::events::vocabulary();
    let mut out = String::from(
        "# Generated from realtime_harness::shape::vocabulary() by tests/fuzz_smoke.rs;\n\
         # do not edit. Regenerate: REALTIME_HARNESS_BLESS=1 cargo test --test fuzz_smoke\n",
    );
    out.push_str("\n# Every word of the model, as a JSON string.\n");
    for word in &words {
        entry(&mut out, &json_string(word));
    }
    out.push_str("\n# Every word of the model, as a member key.\n");
    for word in &words {
        entry(&mut out, &format!("{}:", json_string(word)));
    }
    out.push_str("\n# JSON tokens.\n");
    for token in JSON_TOKENS {
        entry(&mut out, token);
    }
    out
}

fn json_string(word: &str) -> String {
    serde_json::to_string(word).expect("strings serialize")
}

/// Appends one dictionary line: the bytes in double quotes, with `\`, `"`
/// and non-printable bytes escaped as libFuzzer reads them.
fn entry(out: &mut String, bytes: &str) {
    out.push('"');
    for &b in bytes.as_bytes() {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
    }
    out.push_str("\"\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_escaped_as_libfuzzer_reads_them() {
        let mut out = String::new();
        entry(&mut out, "\"a\\b\"é");
        assert_eq!(out, "\"\\\"a\\\\b\\\"\\xC3\\xA9\"\n");
    }

    #[test]
    fn the_dictionary_names_event_types_members_and_enum_values() {
        let dict = client_event_dict();
        for needle in [
            "\"\\\"session.update\\\"\"",
            "\"\\\"session\\\":\"",
            "\"\\\"semantic_vad\\\"\"",
            "\"\\\"audio/pcma\\\"\"",
        ] {
            assert!(dict.lines().any(|l| l == needle), "{needle} missing");
        }
        // Every line is a comment, blank, or one quoted entry.
        for line in dict.lines() {
            assert!(
                line.is_empty()
                    || line.starts_with('#')
                    || (line.len() >= 2 && line.starts_with('"') && line.ends_with('"')),
                "{line}"
            );
        }
    }
}
