//! What the JSON targets check of any frame, once for both event families:
//! [`FrameEvent`] names the entry points the family macro gives each
//! family's type, and the checks below are written once against it, so the
//! client and server targets cannot drift apart (two copies of a check
//! would).

use std::borrow::Cow;
use std::fmt::Debug;
use std::str::FromStr;

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::events::Family;
use crate::fidelity::{self, ChangeKind};
use crate::{ClientEvent, ParseError, ServerEvent};

/// An event family's frame type, as the fuzz bodies use it. Implemented by
/// [`ClientEvent`] and [`ServerEvent`], with their inherent methods.
pub trait FrameEvent: Sized + PartialEq + Debug + Serialize + FromStr<Err = ParseError> {
    /// The family whose frames this type parses.
    const FAMILY: Family;
    /// `from_slice`: the parse every target exercises.
    fn from_slice(bytes: &[u8]) -> Result<Self, ParseError>;
    /// `to_vec`.
    fn to_vec(&self) -> Vec<u8>;
    /// `to_json`.
    fn to_json(&self) -> String;
    /// `wire_type`: the frame's `type`, for every variant.
    fn wire_type(&self) -> &str;
    /// `event_type`: the GA name, or `"unknown"` for the catch-all.
    fn event_type(&self) -> &str;
    /// `event_id`.
    fn event_id(&self) -> Option<Cow<'_, str>>;
    /// `to_event_type().map(as_str)`: the GA name, `None` for the catch-all.
    fn known_type(&self) -> Option<&'static str>;
    /// The members the catch-all kept, or `None` for a GA event.
    fn catch_all(&self) -> Option<&Map<String, Value>>;
}

macro_rules! frame_event {
    ($ty:ident, $family:expr) => {
        impl FrameEvent for $ty {
            const FAMILY: Family = $family;
            fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
                $ty::from_slice(bytes)
            }
            fn to_vec(&self) -> Vec<u8> {
                $ty::to_vec(self)
            }
            fn to_json(&self) -> String {
                $ty::to_json(self)
            }
            fn wire_type(&self) -> &str {
                $ty::wire_type(self)
            }
            fn event_type(&self) -> &str {
                $ty::event_type(self)
            }
            fn event_id(&self) -> Option<Cow<'_, str>> {
                $ty::event_id(self)
            }
            fn known_type(&self) -> Option<&'static str> {
                self.to_event_type().map(|t| t.as_str())
            }
            fn catch_all(&self) -> Option<&Map<String, Value>> {
                match self {
                    $ty::Unknown { members, .. } => Some(members),
                    _ => None,
                }
            }
        }
    };
}

frame_event!(ClientEvent, Family::Client);
frame_event!(ServerEvent, Family::Server);

/// Raw bytes to `E::from_slice`: the body of `client_event_json` and most of
/// `server_event_json`. `FromStr` agrees with `from_slice`; a rejected input
/// comes back as an error that names where ([`check_error`]); an accepted
/// one keeps every promise of [`check_parsed_frame`].
pub(super) fn event_json<E: FrameEvent>(data: &[u8]) {
    let parsed = E::from_slice(data);
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(text.parse::<E>(), parsed, "FromStr and from_slice disagree");
    }
    match parsed {
        Ok(event) => match serde_json::from_slice::<Value>(data) {
            Ok(frame) => check_parsed_frame(&frame, &event),
            // Free-form and unknown members are kept as written
            // (`wire::RawJson`), so the model takes what JSON's grammar
            // allows and a `Value` cannot hold: an unpaired surrogate escape,
            // a number beyond `f64`. Such a frame must still be JSON, and
            // only those two reasons may keep it from being a `Value`.
            Err(e) => {
                let grammatical = serde_json::from_slice::<Box<RawValue>>(data).is_ok();
                let message = e.to_string();
                let unrepresentable = ["surrogate", "hex escape", "number out of range"]
                    .iter()
                    .any(|why| message.contains(why));
                assert!(
                    grammatical && unrepresentable,
                    "the model accepted a frame that is not JSON ({e}): {event:?}"
                );
            }
        },
        Err(err) => check_error(data, &err),
    }
}

/// A structured event serializes, parses back to the same event, and its
/// JSON value survives unchanged (no normalization at all: the model never
/// emits a `null` it would drop); the frame it wrote keeps every promise of
/// [`check_parsed_frame`]. Returns the frame as a JSON value.
pub(super) fn event_roundtrip<E: FrameEvent>(event: &E) -> Value {
    let bytes = event.to_vec();
    let parsed = E::from_slice(&bytes).unwrap_or_else(|e| {
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
    let before = serde_json::to_value(event).expect("events serialize");
    let after = serde_json::to_value(&parsed).expect("events serialize");
    let found = fidelity::changes(&before, &after);
    assert!(
        found.is_empty(),
        "the JSON value changed in a round trip: {found:?}\nframe: {}",
        String::from_utf8_lossy(&bytes)
    );
    let frame: Value = serde_json::from_slice(&bytes).expect("to_vec emits JSON");
    check_parsed_frame(&frame, event);
    frame
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
pub fn check_parsed_frame<E: FrameEvent>(frame: &Value, event: &E) {
    let bytes = event.to_vec();
    let shown = || String::from_utf8_lossy(&bytes).into_owned();
    assert_eq!(
        event.to_json().as_bytes(),
        &bytes[..],
        "to_json and to_vec disagree"
    );
    let again = E::from_slice(&bytes).unwrap_or_else(|e| {
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
        event.event_id().as_deref(),
        frame.get("event_id").and_then(Value::as_str),
        "event_id() is not the frame's event_id"
    );
    match event.known_type() {
        Some(known) => {
            assert_eq!(known, wire);
            assert_eq!(event.event_type(), wire);
        }
        None => {
            assert_eq!(event.event_type(), "unknown");
            assert!(
                !E::FAMILY.is_ga_type(wire),
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

    if let Some(members) = event.catch_all() {
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

/// A rejected input: the error renders, names where it is (a JSON path or a
/// line; a user must be able to find the fault), and that position lies
/// inside the input (line at most one past the last newline).
pub(super) fn check_error(data: &[u8], err: &ParseError) {
    let shown = err.to_string();
    assert!(!shown.is_empty(), "empty error message");
    assert!(
        !err.path().is_empty() || err.line() > 0,
        "the error names neither a path nor a position: {shown}"
    );
    let (lines, _) = crate::wire::locate::line_column(data, data.len());
    assert!(
        err.line() <= lines,
        "error line {} past the input's {lines} lines: {shown}",
        err.line()
    );
}
