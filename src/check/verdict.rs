//! The verdict on one frame: which family it belongs to, whether the model
//! reads it, and what the checker finds, in one call a test, the CLI or a
//! proxy can make without going through the command line.
//!
//! ```
//! use realtime_harness::check::verdict::{judge, Outcome};
//! use realtime_harness::events::Family;
//!
//! let verdict = judge(br#"{"type": "response.done", "response": {"id": "resp_1"}}"#, None);
//! assert_eq!(verdict.family, Family::Server);
//! assert_eq!(verdict.event_type, "response.done");
//!
//! // Judged as a client event, a server frame is an unknown type.
//! let forced = judge(br#"{"type": "response.done"}"#, Some(Family::Client));
//! assert_eq!(forced.outcome, Outcome::UnknownType);
//! ```

use serde::Serialize;
use serde_json::Value;

use super::{
    validate_frame_text_keeping, validate_scanned, validate_server_frame_text_keeping, Report,
    Rule, DEFAULT_FINDINGS_KEPT, LEGACY_SERVER_EVENT_TYPES,
};
use crate::events::Family;
use crate::{ClientEvent, ParseError, ServerEvent};

/// How one frame came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Conforms; no finding.
    Ok,
    /// Conforms, with warnings.
    Warnings,
    /// Breaks a rule of the spec.
    Invalid,
    /// `type` is not a GA event of the family the frame was judged in
    /// (rules `unknown-event-type`, `unknown-server-event-type`,
    /// `legacy-event-type`).
    UnknownType,
    /// The model's round trip changed the frame (a model bug).
    RoundTrip,
    /// Not an event: bad JSON or a member of the wrong shape.
    ParseError,
    /// Not UTF-8.
    NotUtf8,
    /// Larger than the reader's limit; not parsed.
    Oversized,
}

impl Outcome {
    /// True when the frame conforms.
    pub fn conforms(self) -> bool {
        matches!(self, Outcome::Ok | Outcome::Warnings)
    }

    /// The kebab-case name (`ok`, `unknown-type`, `parse-error`, ...), as the
    /// JSON reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Warnings => "warnings",
            Outcome::Invalid => "invalid",
            Outcome::UnknownType => "unknown-type",
            Outcome::RoundTrip => "round-trip",
            Outcome::ParseError => "parse-error",
            Outcome::NotUtf8 => "not-utf8",
            Outcome::Oversized => "oversized",
        }
    }
}

/// The verdict on one frame.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The family the frame was judged in: forced, else told by its `type`
    /// ([`family_of`]).
    pub family: Family,
    /// How it came out.
    pub outcome: Outcome,
    /// The event type for a summary: the wire `type` when one could be
    /// read, else [`NO_TYPE`].
    pub event_type: String,
    /// A problem found before the checker could run.
    pub error: Option<FrameError>,
    /// The checker's findings (empty when `error` is set).
    pub report: Report,
}

/// Why a frame could not be checked: not UTF-8, not JSON, a member of the
/// wrong shape, too large.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameError {
    /// What is wrong, in one line.
    pub message: String,
    /// 1-based line and column inside the frame, when known.
    pub position: Option<(u64, u64)>,
    /// JSON path of the failing member, for parse errors.
    pub path: Option<String>,
}

/// The event type of a frame whose `type` could not be read.
pub const NO_TYPE: &str = "(no type)";

impl Verdict {
    /// A frame that was not parsed at all (too large, or no frame where one
    /// was expected), judged in `family`.
    pub fn unread(family: Family, outcome: Outcome, message: String) -> Verdict {
        Verdict {
            family,
            outcome,
            event_type: NO_TYPE.to_owned(),
            error: Some(FrameError {
                message,
                position: None,
                path: None,
            }),
            report: Report::default(),
        }
    }
}

/// The family a frame of wire `type` `event_type` is judged in: `forced`
/// when given; else the GA family of the type (the two sets are disjoint);
/// else server for a beta-era server name ([`LEGACY_SERVER_EVENT_TYPES`]),
/// and client for anything else, no `type` included (the client checker
/// names the nearest GA type of either family).
pub fn family_of(event_type: Option<&str>, forced: Option<Family>) -> Family {
    if let Some(family) = forced {
        return family;
    }
    let Some(event_type) = event_type else {
        return Family::Client;
    };
    Family::of_type(event_type).unwrap_or_else(|| {
        if LEGACY_SERVER_EVENT_TYPES
            .iter()
            .any(|(legacy, _)| *legacy == event_type)
        {
            Family::Server
        } else {
            Family::Client
        }
    })
}

/// The verdict on a frame's bytes: parsed with the model of its family
/// ([`family_of`], or `forced`) and judged by that family's checker
/// ([`super::validate_frame_text`] or [`super::validate_server_frame_text`]).
///
/// An audio frame of the common shape (`input_audio_buffer.append`,
/// `response.output_audio.delta`) is read by the fast scanner alone, in one
/// pass: its verdict is the one the serde path would give.
///
/// The report keeps the first [`DEFAULT_FINDINGS_KEPT`] findings of each
/// severity and counts the rest ([`Report`]); [`judge_keeping`] names
/// another number.
pub fn judge(bytes: &[u8], forced: Option<Family>) -> Verdict {
    judge_keeping(bytes, forced, DEFAULT_FINDINGS_KEPT)
}

/// [`judge`], keeping the first `keep` errors and the first `keep` warnings
/// and counting the rest by rule ([`Report::omitted`]): memory for findings
/// stays bounded whatever the frame holds. `usize::MAX` keeps them all.
///
/// ```
/// use realtime_harness::check::verdict::judge_keeping;
///
/// let frame = br#"{"type": "input_audio_buffer.clear", "a": 1, "b": 2, "c": 3}"#;
/// let verdict = judge_keeping(frame, None, 2);
/// assert_eq!(verdict.report.findings.len(), 2);
/// assert_eq!(verdict.report.total(), 3);
/// ```
pub fn judge_keeping(bytes: &[u8], forced: Option<Family>, keep: usize) -> Verdict {
    if let Some((family, report)) = validate_scanned(bytes, forced, keep) {
        let event_type = match family {
            Family::Client => "input_audio_buffer.append",
            Family::Server => "response.output_audio.delta",
        };
        return Verdict {
            family,
            outcome: outcome_of(&report),
            event_type: event_type.to_owned(),
            error: None,
            report,
        };
    }
    judge_serde(bytes, forced, keep)
}

/// [`judge`] without the fast scanner: `type` read first, then the model's
/// serde parse and the frame as a JSON value for the round-trip comparison.
fn judge_serde(bytes: &[u8], forced: Option<Family>, keep: usize) -> Verdict {
    let event_type = type_of(bytes);
    let family = family_of(event_type.as_deref(), forced);
    let event_type = event_type.unwrap_or_else(|| NO_TYPE.to_owned());
    let unchecked = |outcome, error| Verdict {
        family,
        outcome,
        event_type: event_type.clone(),
        error: Some(error),
        report: Report::default(),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.valid_up_to();
            let (line, column) = crate::wire::locate::line_column(bytes, at);
            return Verdict {
                event_type: NO_TYPE.to_owned(),
                ..unchecked(
                    Outcome::NotUtf8,
                    FrameError {
                        message: format!("invalid UTF-8 at byte {at}"),
                        position: Some((line as u64, column as u64)),
                        path: None,
                    },
                )
            };
        }
    };
    let parsed = match family {
        // The scanner has had its look in `judge`.
        Family::Client => ClientEvent::from_slice_serde(bytes)
            .map(|event| validate_frame_text_keeping(&event, text, keep)),
        Family::Server => ServerEvent::from_slice_serde(bytes)
            .map(|event| validate_server_frame_text_keeping(&event, text, keep)),
    };
    let report = match parsed {
        Err(err) => return unchecked(Outcome::ParseError, parse_error(&err)),
        Ok(report) => report,
    };
    Verdict {
        family,
        outcome: outcome_of(&report),
        event_type,
        error: None,
        report,
    }
}

/// How a checked frame came out: a wrong `type` and a model bug rank before
/// the other errors, which they usually explain.
fn outcome_of(report: &Report) -> Outcome {
    let wrong_type = [
        Rule::UnknownEventType,
        Rule::UnknownServerEventType,
        Rule::LegacyEventType,
    ];
    if wrong_type.into_iter().any(|rule| report.has(rule)) {
        Outcome::UnknownType
    } else if report.has(Rule::RoundTrip) {
        Outcome::RoundTrip
    } else if !report.is_conformant() {
        Outcome::Invalid
    } else if !report.is_empty() {
        Outcome::Warnings
    } else {
        Outcome::Ok
    }
}

fn parse_error(err: &ParseError) -> FrameError {
    FrameError {
        message: err.message().to_owned(),
        position: (err.line() > 0).then(|| (err.line() as u64, err.column() as u64)),
        path: (!err.path().is_empty()).then(|| err.path().to_owned()),
    }
}

/// The `type` of a frame, when the frame is JSON with a string `type`: read
/// before parsing, since it decides the family, and kept for frames the model
/// rejects.
fn type_of(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Typed {
        #[serde(rename = "type")]
        event_type: Option<Value>,
    }
    serde_json::from_slice::<Typed>(bytes)
        .ok()
        .and_then(|t| t.event_type)
        .and_then(|t| t.as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_keep_their_type_when_it_can_be_read() {
        assert_eq!(
            type_of(br#"{"type": "session.update", "session": 1}"#).as_deref(),
            Some("session.update")
        );
        assert_eq!(type_of(b"{"), None);
        assert_eq!(type_of(br#"{"type": 7}"#), None);
        assert_eq!(
            judge(br#"{"type": "session.update", "session": 1}"#, None).event_type,
            "session.update"
        );
        assert_eq!(judge(b"{", None).event_type, NO_TYPE);
    }

    #[test]
    fn outcomes_rank_unknown_types_and_round_trips_apart() {
        let outcome = |frame: &[u8]| judge(frame, None).outcome;
        assert_eq!(outcome(br#"{"type": "x"}"#), Outcome::UnknownType);
        assert_eq!(
            outcome(br#"{"type": "input_audio_buffer.clear"}"#),
            Outcome::Ok
        );
        assert_eq!(
            outcome(br#"{"type": "input_audio_buffer.clear", "event_id": null}"#),
            Outcome::Warnings
        );
        assert_eq!(
            outcome(br#"{"type": "input_audio_buffer.append", "audio": "x"}"#),
            Outcome::Invalid
        );
        assert_eq!(outcome(b"{\"type\": \"\xff\"}"), Outcome::NotUtf8);
        assert_eq!(outcome(b"nope"), Outcome::ParseError);
    }

    #[test]
    fn the_type_tells_the_family_unless_one_is_forced() {
        assert_eq!(family_of(Some("session.update"), None), Family::Client);
        assert_eq!(family_of(Some("session.updated"), None), Family::Server);
        assert_eq!(
            family_of(Some("response.audio.delta"), None),
            Family::Server
        );
        assert_eq!(family_of(Some("nonsense"), None), Family::Client);
        assert_eq!(family_of(None, None), Family::Client);
        assert_eq!(
            family_of(Some("session.update"), Some(Family::Server)),
            Family::Server
        );
        let legacy = judge(br#"{"type": "response.audio.delta"}"#, None);
        assert_eq!(
            (legacy.family, legacy.outcome),
            (Family::Server, Outcome::UnknownType)
        );
        let dtmf = br#"{"type": "input_audio_buffer.dtmf_event_received", "event": "5", "received_at": 1}"#;
        assert_eq!(judge(dtmf, None).family, Family::Server);
    }

    #[test]
    fn scanned_audio_frames_get_the_verdict_of_the_serde_path() {
        let long_id = "e".repeat(600);
        let frames = [
            r#"{"type":"input_audio_buffer.append","audio":"AAAA"}"#.to_owned(),
            r#"{"audio":"AAAA","event_id":null,"type":"input_audio_buffer.append"}"#.to_owned(),
            r#"{"type":"input_audio_buffer.append","event_id":"e\u0031","audio":"AA=A"}"#
                .to_owned(),
            format!(r#"{{"type":"input_audio_buffer.append","event_id":"{long_id}","audio":"A"}}"#),
            r#"{"type":"response.output_audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"delta":"AAAA"}"#.to_owned(),
            r#"{"type":"response.output_audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"delta":"AA"}"#.to_owned(),
        ];
        for frame in &frames {
            let bytes = frame.as_bytes();
            for forced in [None, Some(Family::Client), Some(Family::Server)] {
                let scanned = validate_scanned(bytes, forced, DEFAULT_FINDINGS_KEPT).is_some();
                let expected_scan = match forced {
                    None => true,
                    Some(family) => family_of(type_of(bytes).as_deref(), None) == family,
                };
                assert_eq!(scanned, expected_scan, "{frame} as {forced:?}");
                let (fast, slow) = (
                    judge(bytes, forced),
                    judge_serde(bytes, forced, DEFAULT_FINDINGS_KEPT),
                );
                assert_eq!(
                    (
                        fast.family,
                        fast.outcome,
                        &fast.event_type,
                        &fast.error,
                        &fast.report
                    ),
                    (
                        slow.family,
                        slow.outcome,
                        &slow.event_type,
                        &slow.error,
                        &slow.report
                    ),
                    "{frame} as {forced:?}"
                );
            }
        }
        // The comparison above compared something: null `event_id`, bad
        // padding, a long id and short audio, ids without their prefixes.
        let findings: Vec<usize> = frames
            .iter()
            .map(|f| judge(f.as_bytes(), None).report.findings.len())
            .collect();
        assert_eq!(findings, [0, 1, 1, 2, 2, 3]);
    }

    #[test]
    fn outcome_names_are_the_serialized_ones() {
        for outcome in [
            Outcome::Ok,
            Outcome::Warnings,
            Outcome::Invalid,
            Outcome::UnknownType,
            Outcome::RoundTrip,
            Outcome::ParseError,
            Outcome::NotUtf8,
            Outcome::Oversized,
        ] {
            assert_eq!(serde_json::to_value(outcome).unwrap(), outcome.as_str());
        }
    }
}
