//! The event families: each is one table of `type` names and member lists
//! over the shared types in [`crate::model`], built by the family macro in
//! [`crate::wire`], with its parse and serialize entry points beside it.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;

use crate::error::ParseError;
use crate::wire::shape::{Describe, Shape};

pub mod client;
mod client_parse;
pub mod client_ref;
pub mod server;
mod server_parse;
pub mod server_ref;

pub use client::{ClientEvent, RealtimeClientEvent};
pub use client_ref::ClientEventRef;
pub use server::{RealtimeServerEvent, ServerEvent};
pub use server_ref::ServerEventRef;

/// Parses one whole frame with serde, tracking the JSON path for errors;
/// trailing non-whitespace is an error. Every family's general path.
pub(crate) fn parse_tracked<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let event = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| ParseError::from_tracked(e).relocated(bytes))?;
    de.end().map_err(|e| ParseError::from_json("", e))?;
    Ok(event)
}

/// The shape of a whole client event frame.
pub fn client_event() -> Shape {
    ClientEvent::shape()
}

/// The shape of a whole server event frame.
pub fn server_event() -> Shape {
    ServerEvent::shape()
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
