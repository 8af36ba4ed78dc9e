//! The event families: each is one table of `type` names and member lists
//! over the shared types in [`crate::model`], built by the family macro of
//! the crate's wire machinery, with its parse and serialize entry points
//! beside it.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;

use crate::error::ParseError;
use crate::wire::shape::{Describe, Shape};

/// The text entry points of a family's event type `$event`: `to_vec`
/// (serde_json's bytes, written by `$direct` where it applies: `$doc`),
/// `to_json`, and `FromStr` by `from_slice`.
macro_rules! frame_text {
    ($event:ident, $family:literal, $direct:path, $doc:literal) => {
        impl $event {
            #[doc = concat!("Serializes the frame to JSON bytes: serde_json's bytes, ", $doc, ".")]
            pub fn to_vec(&self) -> Vec<u8> {
                if let Some(out) = $direct(self) {
                    return out;
                }
                // Serializing model types cannot fail: every map key is a
                // string and every number is finite or integral.
                serde_json::to_vec(self).expect(concat!($family, " events always serialize"))
            }

            /// Serializes the frame to a JSON string.
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).expect(concat!($family, " events always serialize"))
            }
        }

        impl ::std::str::FromStr for $event {
            type Err = $crate::error::ParseError;

            #[doc = concat!("Parses one frame; see [`", stringify!($event), "::from_slice`].")]
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $event::from_slice(s.as_bytes())
            }
        }
    };
}

mod agreement;
#[macro_use]
mod zero_copy;
pub mod client;
mod client_parse;
pub mod client_ref;
pub mod server;
mod server_parse;
pub mod server_ref;

pub use client::{ClientEvent, RealtimeClientEvent};
pub(crate) use client_parse::owned_append;
pub use client_ref::ClientEventRef;
pub use server::{RealtimeServerEvent, ServerEvent};
pub use server_ref::ServerEventRef;

pub use crate::wire::family::Member;

/// An event family: the frames one side of the connection sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Client events, spec schema `RealtimeClientEvent`.
    Client,
    /// Server events, spec schema `RealtimeServerEvent`.
    Server,
}

impl Family {
    /// Both families, client first.
    pub const ALL: [Family; 2] = [Family::Client, Family::Server];

    /// `"client"` or `"server"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Family::Client => "client",
            Family::Server => "server",
        }
    }

    /// The spec's GA union of the family's events.
    pub const fn union_schema(self) -> &'static str {
        match self {
            Family::Client => "RealtimeClientEvent",
            Family::Server => "RealtimeServerEvent",
        }
    }

    /// The name prefix of the family's beta-era event schemas.
    pub const fn beta_prefix(self) -> &'static str {
        match self {
            Family::Client => "RealtimeBetaClientEvent",
            Family::Server => "RealtimeBetaServerEvent",
        }
    }

    /// Whether `name` is one of the family's event schemas (GA, legacy or
    /// beta), by the document's naming.
    pub fn is_event_schema(self, name: &str) -> bool {
        name.starts_with(self.union_schema()) || name.starts_with(self.beta_prefix())
    }

    /// Whether `event_type` is one of the family's GA types.
    pub fn is_ga_type(self, event_type: &str) -> bool {
        match self {
            Family::Client => RealtimeClientEvent::from_wire(event_type).is_some(),
            Family::Server => RealtimeServerEvent::from_wire(event_type).is_some(),
        }
    }

    /// The family a GA `type` belongs to; the two sets of names are disjoint.
    pub fn of_type(event_type: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.is_ga_type(event_type))
    }

    /// The shape of a whole frame of the family.
    pub fn shape(self) -> Shape {
        match self {
            Family::Client => ClientEvent::shape(),
            Family::Server => ServerEvent::shape(),
        }
    }
}

/// The deepest nesting serde_json reads: it refuses the 128th container.
const SERDE_JSON_DEPTH: usize = 127;

/// Parses one whole frame with serde, tracking the JSON path for errors;
/// trailing non-whitespace is an error. Every family's general path.
pub(crate) fn parse_tracked<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let event = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| ParseError::from_tracked(e).relocated(bytes))?;
    de.end().map_err(|e| ParseError::from_json("", e))?;
    // Free-form members are kept as text, which serde_json does not count
    // against its nesting limit; the whole frame is held to it here, so the
    // model reads JSON exactly as deep as serde_json does.
    if let Some((path, at)) = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| crate::wire::raw::too_deep(text, SERDE_JSON_DEPTH))
    {
        return Err(ParseError::too_deep(bytes, &path, at));
    }
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

/// Every string the client wire format gives meaning to: event types,
/// member names, union tags and their values, enum values and the known
/// values of open sets. The fuzzing dictionary is generated from this.
pub fn vocabulary() -> BTreeSet<&'static str> {
    client_event().vocabulary()
}

/// [`vocabulary`] of both families: what a dictionary for fuzzing either
/// direction holds.
pub fn vocabulary_of_both() -> BTreeSet<&'static str> {
    let mut words = client_event().vocabulary();
    words.extend(server_event().vocabulary());
    words
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
