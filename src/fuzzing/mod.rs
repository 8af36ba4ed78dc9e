//! Fuzz target bodies, shared by the cargo-fuzz shims in `fuzz/fuzz_targets/`
//! and by the stable smoke test (`tests/fuzz_smoke.rs`), which runs every
//! body on the committed corpus and on fixed-seed pseudo-random inputs, so a
//! target can never rot unnoticed.
//!
//! A body returns normally for any input the model rejects; it panics (the
//! fuzzer's "crash") only when the model breaks one of its promises:
//! a parsed frame that does not survive a round trip, a re-serialization
//! that changes anything but a dropped `null`, a catch-all that loses
//! members, an `event_type` that disagrees with the frame's `type`.
//!
//! Adding a target: write its body here (or in a submodule), add an entry to
//! [`TARGETS`], a 5-15 line shim `fuzz/fuzz_targets/<name>.rs` and its
//! `[[bin]]` in `fuzz/Cargo.toml`; if it takes `arbitrary` bytes, name it in
//! `ARBITRARY_TARGETS` in `scripts/fuzz-campaign`. The smoke test checks
//! that all of these agree and runs the new body on the whole corpus.

pub mod dictionary;
pub mod json_mutator;

/// The PRNG's first home; it now serves the whole crate.
pub use crate::rng;

use arbitrary::{Arbitrary, Unstructured};
use serde_json::Value;

use crate::fidelity::{self, ChangeKind};
use crate::{ClientEvent, RealtimeClientEvent};

/// A fuzz target, as registered for the smoke test and the campaign.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// Target name = shim file name = binary name.
    pub name: &'static str,
    /// What the target feeds its body.
    pub body: Body,
    /// The custom mutator, if the target has one.
    pub mutator: Option<Mutator>,
    /// The custom crossover, if the target has one.
    pub crossover: Option<Crossover>,
}

/// The body of a target, by the input it takes.
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// Raw bytes (a frame as received).
    Bytes(fn(&[u8])),
    /// A structured event built with `arbitrary` from the bytes, as
    /// `libfuzzer_sys::fuzz_target!(|event: ClientEvent| ...)` builds it.
    Event(fn(&ClientEvent)),
}

/// A libFuzzer custom mutator: `(data, size, max_size, seed)` to the new
/// size, or `None` to fall back to libFuzzer's own byte mutation.
pub type Mutator = fn(&mut [u8], usize, usize, u32) -> Option<usize>;

/// A libFuzzer custom crossover: `(data1, data2, out, seed)` to the size
/// written to `out`, or `None` to leave this turn to the mutator.
pub type Crossover = fn(&[u8], &[u8], &mut [u8], u32) -> Option<usize>;

/// Every fuzz target, in the order the campaign runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "client_event_json",
        body: Body::Bytes(client_event_json),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "client_event_roundtrip",
        body: Body::Event(client_event_roundtrip),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "client_event_json_structured",
        body: Body::Bytes(client_event_json),
        mutator: Some(json_mutator::mutate),
        crossover: Some(json_mutator::crossover),
    },
    Target {
        name: "client_event_ref_agrees",
        body: Body::Bytes(client_event_ref_agrees),
        mutator: None,
        crossover: None,
    },
    #[cfg(feature = "schema")]
    Target {
        name: "validator_schema_agrees",
        body: Body::Bytes(validator_schema_agrees),
        // Frames the checker passes are rare under byte mutation.
        mutator: Some(json_mutator::mutate),
        crossover: Some(json_mutator::crossover),
    },
];

/// The registered target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

impl Target {
    /// Runs the body on one fuzzer input, exactly as the shim does.
    pub fn run(&self, data: &[u8]) {
        match self.body {
            Body::Bytes(body) => body(data),
            Body::Event(body) => {
                // Same construction as `fuzz_target!` with a typed input; an
                // input too short for an event is not a test case.
                if let Ok(event) = ClientEvent::arbitrary_take_rest(Unstructured::new(data)) {
                    body(&event);
                }
            }
        }
    }
}

/// `client_event_json` (and `client_event_json_structured`): raw bytes to
/// [`ClientEvent::from_slice`]. Rejected input must come back as an error
/// with a sane position; accepted input must keep every promise of
/// [`check_parsed_frame`].
pub fn client_event_json(data: &[u8]) {
    let parsed = ClientEvent::from_slice(data);
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(
            text.parse::<ClientEvent>(),
            parsed,
            "FromStr and from_slice disagree"
        );
    }
    match parsed {
        Ok(event) => {
            let frame: Value = serde_json::from_slice(data).unwrap_or_else(|e| {
                panic!("the model accepted a frame that is not JSON ({e}): {event:?}")
            });
            check_parsed_frame(&frame, &event);
        }
        Err(err) => check_error(data, &err),
    }
}

/// `client_event_roundtrip`: a structured event serializes, parses back to
/// the same event, and its JSON value survives unchanged (no
/// normalization at all: the model never emits a `null` it would drop).
pub fn client_event_roundtrip(event: &ClientEvent) {
    let bytes = event.to_vec();
    let parsed = ClientEvent::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "a serialized event does not parse: {e}\nframe: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(
        &parsed,
        event,
        "the event changed in a round trip\nframe: {}",
        String::from_utf8_lossy(&bytes)
    );
    let before = serde_json::to_value(event).expect("client events serialize");
    let after = serde_json::to_value(&parsed).expect("client events serialize");
    let found = fidelity::changes(&before, &after);
    assert!(
        found.is_empty(),
        "the JSON value changed in a round trip: {found:?}\nframe: {}",
        String::from_utf8_lossy(&bytes)
    );
    let frame: Value = serde_json::from_slice(&bytes).expect("to_vec emits JSON");
    check_parsed_frame(&frame, event);
}

/// `client_event_ref_agrees`: every entry point agrees with the serde path
/// on every input ([`crate::fast::check_agreement`]): the owned and the
/// zero-copy parse give the same event or the same error, and both write
/// serde_json's bytes.
pub fn client_event_ref_agrees(data: &[u8]) {
    if let Err(disagreement) = crate::fast::check_agreement(data) {
        panic!("{disagreement}\ninput: {:?}", String::from_utf8_lossy(data));
    }
}

/// `validator_schema_agrees`: a GA frame the conformance checker passes
/// ([`crate::check::validate_frame`] finds no error) satisfies the official
/// schema ([`crate::schema::SchemaOracle`], defects fixed). The checker's one
/// deliberate leniency is left out: an explicit `null` on a member the spec
/// does not make nullable is a warning ([`crate::check::Rule::NullMember`])
/// because the model reads it as absent, and the schema rejects it.
///
/// The schema is the embedded extract, or the document `REALTIME_HARNESS_SPEC`
/// names (a newer download to fuzz against); panics when that cannot be loaded.
#[cfg(feature = "schema")]
pub fn validator_schema_agrees(data: &[u8]) {
    use crate::check::{self, Rule};
    use crate::schema::SchemaOracle;

    let Ok(event) = ClientEvent::from_slice(data) else {
        return;
    };
    if event.to_event_type().is_none() {
        return;
    }
    let frame: Value = serde_json::from_slice(data).expect("a parsed frame is JSON");
    let report = check::validate_frame(&event, &frame);
    if report.errors().next().is_some() || report.has(Rule::NullMember) {
        return;
    }
    let oracle = SchemaOracle::shared()
        .unwrap_or_else(|e| panic!("validator_schema_agrees needs the official schema: {e}"));
    if let Err(violations) = oracle.validate_ga(&frame) {
        let shown: Vec<String> = violations.iter().map(ToString::to_string).collect();
        panic!(
            "the checker passed a frame the schema rejects: {}\nwarnings: {:?}\nframe: {frame}",
            shown.join("; "),
            report.warnings().collect::<Vec<_>>()
        );
    }
}

/// The promises the model makes about a frame it accepted: `frame` is the
/// input as a JSON value, `event` what the model parsed from it.
///
/// - serialize, parse again: the same event;
/// - `wire_type()` is the frame's `type`; `event_type()` is it too for a GA
///   event and `"unknown"` otherwise;
/// - the re-serialized value differs from the frame at most by dropped
///   `null`s ([`fidelity`]);
/// - the catch-all re-emits the frame exactly, members in arrival order.
pub fn check_parsed_frame(frame: &Value, event: &ClientEvent) {
    let bytes = event.to_vec();
    let shown = || String::from_utf8_lossy(&bytes).into_owned();
    assert_eq!(
        event.to_json().as_bytes(),
        &bytes[..],
        "to_json and to_vec disagree"
    );
    let again = ClientEvent::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "the re-serialized frame does not parse: {e}\nframe: {}",
            shown()
        )
    });
    assert_eq!(
        &again,
        event,
        "serialize then parse changed the event\nframe: {}",
        shown()
    );

    let wire = frame
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("the model accepted a frame without a string `type`: {frame}"));
    assert_eq!(
        event.wire_type(),
        wire,
        "wire_type() is not the frame's type"
    );
    // A non-string `event_id` only parses into the catch-all, which reports none.
    assert_eq!(
        event.event_id(),
        frame.get("event_id").and_then(Value::as_str),
        "event_id() is not the frame's event_id"
    );
    match event.to_event_type() {
        Some(known) => {
            assert_eq!(known.as_str(), wire);
            assert_eq!(event.event_type(), wire);
        }
        None => {
            assert_eq!(event.event_type(), "unknown");
            assert!(
                RealtimeClientEvent::from_wire(wire).is_none(),
                "GA type `{wire}` fell into the catch-all"
            );
        }
    }

    let emitted: Value = serde_json::from_slice(&bytes).expect("to_vec emits JSON");
    let unfaithful: Vec<_> = fidelity::changes(frame, &emitted)
        .into_iter()
        .filter(|c| c.kind != ChangeKind::NullDropped)
        .collect();
    assert!(
        unfaithful.is_empty(),
        "re-serialization changed the frame: {unfaithful:?}\nframe:   {frame}\nemitted: {}",
        shown()
    );

    if let ClientEvent::Unknown { members, .. } = event {
        assert_eq!(&emitted, frame, "the catch-all did not re-emit the frame");
        let arrived: Vec<&String> = frame
            .as_object()
            .expect("a frame is an object")
            .keys()
            .filter(|k| *k != "type")
            .collect();
        let kept: Vec<&String> = members.keys().collect();
        assert_eq!(kept, arrived, "the catch-all reordered the members");
    }
}

/// A rejected input: the error renders, and its position lies inside the
/// input (line at most one past the last newline).
fn check_error(data: &[u8], err: &crate::ParseError) {
    let shown = err.to_string();
    assert!(!shown.is_empty(), "empty error message");
    let (lines, _) = crate::wire::locate::line_column(data, data.len());
    assert!(
        err.line() <= lines,
        "error line {} past the input's {lines} lines: {shown}",
        err.line()
    );
}
