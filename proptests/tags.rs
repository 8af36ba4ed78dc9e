//! Property 3, type tag consistency: the serialized `"type"` equals
//! `event_type()` equals `to_event_type().map(as_str)`, and every GA type
//! parses back from its wire name.

use proptest::prelude::*;
use realtime_harness::{ClientEvent, RealtimeClientEvent};
use serde_json::Value;

use crate::bridge::arbitrary;
use crate::fidelity::frame_of;

proptest! {
    #![proptest_config(suite_config!("tags"))]

    #[test]
    fn serialized_type_is_the_event_type(event in arbitrary::<ClientEvent>()) {
        let frame = frame_of(&event);
        let tag = frame.get("type").and_then(Value::as_str);
        let kind = event.to_event_type();
        prop_assert!(kind.is_some(), "arbitrary events are GA events");
        prop_assert_eq!(tag, Some(event.event_type()));
        prop_assert_eq!(tag, kind.map(RealtimeClientEvent::as_str));
        prop_assert_eq!(tag, Some(event.wire_type()));
        // The tag is written first, as the API's own examples do.
        prop_assert_eq!(frame.as_object().and_then(|m| m.keys().next()).map(String::as_str), Some("type"));
    }

    #[test]
    fn event_id_is_the_frames_event_id(event in arbitrary::<ClientEvent>()) {
        let frame = frame_of(&event);
        let event_id = event.event_id();
        prop_assert_eq!(event_id.as_deref(), frame.get("event_id").and_then(Value::as_str));
    }

    #[test]
    fn every_wire_name_parses_back(kind in arbitrary::<RealtimeClientEvent>()) {
        let name = kind.as_str();
        prop_assert_eq!(name.parse::<RealtimeClientEvent>(), Ok(kind));
        prop_assert_eq!(RealtimeClientEvent::from_wire(name), Some(kind));
        prop_assert_eq!(kind.to_string(), name);
        prop_assert_eq!(serde_json::to_value(kind).ok(), Some(Value::from(name)));
        prop_assert_eq!(serde_json::from_value::<RealtimeClientEvent>(Value::from(name)).ok(), Some(kind));
        let index = RealtimeClientEvent::ALL.iter().position(|k| *k == kind);
        prop_assert_eq!(index.map(|i| RealtimeClientEvent::WIRE_NAMES[i]), Some(name));
    }

    #[test]
    fn other_type_strings_are_not_ga_types(name in any::<String>()) {
        let known = RealtimeClientEvent::WIRE_NAMES.contains(&name.as_str());
        prop_assert_eq!(name.parse::<RealtimeClientEvent>().is_ok(), known);
        prop_assert_eq!(RealtimeClientEvent::from_wire(&name).is_some(), known);
    }
}

#[test]
fn the_eleven_types_are_listed_once_in_order() {
    assert_eq!(RealtimeClientEvent::ALL.len(), 11);
    assert_eq!(RealtimeClientEvent::WIRE_NAMES.len(), 11);
    for (kind, name) in RealtimeClientEvent::ALL
        .iter()
        .zip(RealtimeClientEvent::WIRE_NAMES)
    {
        assert_eq!(kind.as_str(), *name);
    }
    let distinct: std::collections::BTreeSet<_> = RealtimeClientEvent::WIRE_NAMES.iter().collect();
    assert_eq!(distinct.len(), 11);
}
