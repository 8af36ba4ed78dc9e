//! Property 5, catch-all: any JSON object whose `type` is a string outside
//! the eleven parses to `ClientEvent::Unknown` and serializes back to the
//! same value, wherever `type` stands among the members.

use proptest::prelude::*;
use realtime_harness::fidelity::{changes, Change};
use realtime_harness::{ClientEvent, RealtimeClientEvent};
use serde_json::{Map, Value};

use crate::fidelity::frame_of;
use crate::json::{json_object, json_value};

/// Type strings that are not GA client events: any text, dotted names,
/// the legacy `transcription_session.update`, and near misses of the eleven.
fn other_type() -> impl Strategy<Value = String> {
    let near_misses: Vec<String> = RealtimeClientEvent::WIRE_NAMES
        .iter()
        .flat_map(|name| {
            [
                name.to_uppercase(),
                format!("{name} "),
                format!(" {name}"),
                format!("{name}.x"),
                name.replace('.', "_"),
                name[..name.len() - 1].to_owned(),
            ]
        })
        .collect();
    prop_oneof![
        any::<String>(),
        "[a-z_]{1,12}(\\.[a-z_]{1,12}){0,3}",
        Just("transcription_session.update".to_owned()),
        Just(String::new()),
        prop::sample::select(near_misses),
    ]
    .prop_filter("a GA type", |t| RealtimeClientEvent::from_wire(t).is_none())
}

/// `members` with `type` inserted at `position` (modulo their count + 1).
fn frame_with_type(event_type: Value, mut members: Map<String, Value>, position: usize) -> Value {
    members.shift_remove("type");
    let at = position % (members.len() + 1);
    members.shift_insert(at, "type".to_owned(), event_type);
    Value::Object(members)
}

proptest! {
    #![proptest_config(suite_config!("catch_all"))]

    #[test]
    fn any_other_type_is_kept_intact(
        event_type in other_type(),
        members in json_object(3, 6),
        position in any::<usize>(),
    ) {
        let frame = frame_with_type(Value::from(event_type.clone()), members, position);
        let text = serde_json::to_string(&frame).expect("a Value serializes");
        let event = ClientEvent::from_slice(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        let mut expected_members = frame.as_object().cloned().unwrap_or_default();
        expected_members.shift_remove("type");
        prop_assert_eq!(&event, &ClientEvent::Unknown { event_type: event_type.clone(), members: expected_members });
        prop_assert_eq!(event.event_type(), "unknown");
        prop_assert_eq!(event.wire_type(), event_type.as_str());
        prop_assert_eq!(event.to_event_type(), None);
        prop_assert_eq!(event.extra(), None);

        // Compared with the frame as the parser read it, so that only the
        // model's doing shows.
        let read: Value = serde_json::from_str(&text).expect("valid JSON");
        let after = frame_of(&event);
        prop_assert_eq!(changes(&read, &after), Vec::<Change>::new());
        prop_assert_eq!(after, read);
    }

    #[test]
    fn a_type_that_is_not_a_string_is_an_error_that_says_where(
        event_type in json_value(1, 2).prop_filter("a string", |v| !v.is_string()),
        members in json_object(1, 4),
        position in any::<usize>(),
    ) {
        let frame = frame_with_type(event_type, members, position);
        let text = serde_json::to_string(&frame).expect("a Value serializes");
        match ClientEvent::from_slice(text.as_bytes()) {
            Ok(event) => prop_assert!(false, "parsed {:?} from {}", event, text),
            Err(e) => {
                prop_assert_eq!(e.path(), "type", "{} in {}", e, text);
                prop_assert!(e.line() > 0, "{} in {}", e, text);
            }
        }
    }

    #[test]
    fn a_frame_that_is_not_an_object_is_an_error(value in json_value(2, 3).prop_filter("an object", |v| !v.is_object())) {
        let text = serde_json::to_string(&value).expect("a Value serializes");
        let err = ClientEvent::from_slice(text.as_bytes());
        prop_assert!(err.as_ref().is_err_and(|e| e.line() > 0), "{:?} from {}", err, text);
    }

}
