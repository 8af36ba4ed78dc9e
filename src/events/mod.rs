//! The event families: each is one table of `type` names and member lists
//! over the shared types in [`crate::model`], built by the family macro in
//! [`crate::wire`], with its parse and serialize entry points beside it.

use std::collections::BTreeSet;

use crate::wire::shape::{Describe, Shape};

pub mod client;
mod client_parse;
pub mod client_ref;

pub use client::{ClientEvent, RealtimeClientEvent};
pub use client_ref::ClientEventRef;

/// The shape of a whole client event frame.
pub fn client_event() -> Shape {
    ClientEvent::shape()
}

/// Every string the wire format gives meaning to: event types, member
/// names, union tags and their values, enum values and the known values of
/// open sets. The fuzzing dictionary is generated from this.
pub fn vocabulary() -> BTreeSet<&'static str> {
    client_event().vocabulary()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_covers_every_event_type_and_deep_members() {
        let words = vocabulary();
        for name in RealtimeClientEvent::WIRE_NAMES {
            assert!(words.contains(name), "{name}");
        }
        for deep in [
            "semantic_vad",
            "eagerness",
            "audio/pcma",
            "retention_ratio",
            "post_instructions",
            "connector_sharepoint",
            "tool_execution_error",
            "input_file",
            "marin",
            "gpt-realtime",
            "item_reference",
            "realtime.item",
        ] {
            assert!(words.contains(deep), "{deep}");
        }
    }

    #[test]
    fn nullable_members_are_marked() {
        let mut nullable = BTreeSet::new();
        client_event().walk(&mut |_, shape| {
            if let Shape::Object(object) = shape {
                nullable.extend(object.members.iter().filter(|m| m.nullable).map(|m| m.name));
            }
        });
        for name in [
            "turn_detection",
            "tracing",
            "noise_reduction",
            "transcription",
            "idle_timeout_ms",
            "metadata",
            "prompt",
        ] {
            assert!(nullable.contains(name), "{name}");
        }
        assert!(!nullable.contains("event_id"));
    }
}
