//! The server family's properties, the client family's where they carry
//! over: round trip, wire fidelity with injected nulls, tags, catch-all,
//! member order, and robustness under edits (never a panic, errors that say
//! where, faithful re-emission, and every entry point agreeing).

use proptest::prelude::*;
use realtime_harness::events::server_ref::check_agreement;
use realtime_harness::{RealtimeServerEvent, ServerEvent};
use serde_json::{Map, Value};

use crate::bridge::arbitrary;
use crate::fidelity::{fidelity_properties, frame_of};
use crate::json::json_object;
use crate::key_order::member_order_properties;
use crate::mutation::{edited_frames, mutation};
use crate::robustness::check_outcome_of;
use crate::round_trip::round_trips;
use crate::shape_walk::server_event_shape;

/// Type strings that are not GA server events.
fn other_type() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z_]{1,12}(\\.[a-z_]{1,12}){0,3}",
        Just("response.audio.delta".to_owned()),
        Just("transcription_session.updated".to_owned()),
    ]
    .prop_filter("a GA type", |t| RealtimeServerEvent::from_wire(t).is_none())
}

proptest! {
    #![proptest_config(suite_config!("server"))]

    #[test]
    fn round_trip(event in arbitrary::<ServerEvent>()) {
        let back = round_trips(&event)?;
        prop_assert_eq!(back.to_vec(), event.to_vec());
    }

    #[test]
    fn serialized_type_is_the_event_type(event in arbitrary::<ServerEvent>()) {
        let frame = frame_of(&event);
        let ty = event.to_event_type().expect("arbitrary events are GA");
        prop_assert_eq!(frame["type"].as_str(), Some(ty.as_str()));
        prop_assert_eq!(event.event_type(), ty.as_str());
        prop_assert_eq!(event.wire_type(), ty.as_str());
        let event_id = event.event_id();
        prop_assert_eq!(frame.get("event_id").and_then(Value::as_str), event_id.as_deref());
    }

    #[test]
    fn any_other_type_is_kept_intact(
        event_type in other_type(),
        members in json_object(3, 6),
        position in any::<usize>(),
    ) {
        let mut members: Map<String, Value> = members;
        members.shift_remove("type");
        let at = position % (members.len() + 1);
        members.shift_insert(at, "type".to_owned(), Value::from(event_type.clone()));
        let frame = Value::Object(members);
        let text = serde_json::to_string(&frame).expect("a Value serializes");
        let event = ServerEvent::from_slice(text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        prop_assert_eq!(event.wire_type(), event_type.as_str());
        prop_assert_eq!(event.to_event_type(), None);
        let read: Value = serde_json::from_str(&text).expect("valid JSON");
        prop_assert_eq!(frame_of(&event), read);
    }

    #[test]
    fn edits_never_panic_say_where_and_agree(input in edited_frames::<ServerEvent>(mutation())) {
        check_outcome_of::<ServerEvent>(&input, check_agreement)?;
    }
}

fidelity_properties!("server", ServerEvent, server_event_shape());

member_order_properties!("server", ServerEvent);
