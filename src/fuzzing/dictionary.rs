//! The libFuzzer dictionaries, one per event family, generated from the
//! model's own vocabulary so they cannot drift: `fuzz/client_event.dict`
//! ([`crate::shape::vocabulary`]) and `fuzz/server_event.dict` (the server
//! family's). A test regenerates them with `REALTIME_HARNESS_BLESS=1` and
//! otherwise fails when a committed file differs.
//!
//! One per family rather than one of both: each family's targets insert
//! only words their frames can hold (the server has 87 words the client
//! lacks, the client 11 the server lacks), and a target takes the dictionary
//! named after its prefix (`client_event_*`, `server_event_*`), as the
//! campaign and ClusterFuzzLite pick it. `validator_schema_agrees`, which
//! reads both, takes the client one; its JSON-aware mutator draws each
//! frame's words from that frame's family anyway.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::events::Family;

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

/// The dictionary file of `family`, relative to the repository root.
pub const fn path(family: Family) -> &'static str {
    match family {
        Family::Client => "fuzz/client_event.dict",
        Family::Server => "fuzz/server_event.dict",
    }
}

/// The dictionary text of `family`: [`client_event_dict`] or [`server_event_dict`].
pub fn family_dict(family: Family) -> String {
    match family {
        Family::Client => client_event_dict(),
        Family::Server => server_event_dict(),
    }
}

/// The client dictionary text: one entry per line, in libFuzzer's format.
///
/// Every word of the vocabulary (event types, member names, union tags and
/// their values, enum values, known values of open sets) appears as a JSON
/// string (`"\"session.update\""`), and every member name also as a key
/// (`"\"session\":"`), followed by a few JSON tokens.
pub fn client_event_dict() -> String {
    dict(
        "realtime_harness::shape::vocabulary()",
        &crate::events::vocabulary(),
    )
}

/// The server dictionary text, made like [`client_event_dict`] from the
/// server family's vocabulary.
pub fn server_event_dict() -> String {
    dict(
        "realtime_harness::events::server_event().vocabulary()",
        &crate::events::server_event().vocabulary(),
    )
}

fn dict(source: &str, words: &BTreeSet<&'static str>) -> String {
    let mut out = format!(
        "# Generated from {source} by tests/fuzz_smoke.rs;\n\
         # do not edit. Regenerate: REALTIME_HARNESS_BLESS=1 cargo test --test fuzz_smoke\n",
    );
    out.push_str("\n# Every word of the model, as a JSON string.\n");
    for word in words {
        entry(&mut out, &json_string(word));
    }
    out.push_str("\n# Every word of the model, as a member key.\n");
    for word in words {
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
        let server = server_event_dict();
        for needle in [
            "\"\\\"response.output_audio.delta\\\"\"",
            "\"\\\"rate_limits.updated\\\"\"",
        ] {
            assert!(server.lines().any(|l| l == needle), "{needle} missing");
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
