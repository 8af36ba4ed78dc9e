//! A spec-faithful model of the OpenAI Realtime API client events, and the
//! harness around it: property tests, fuzz targets, benchmarks and a
//! conformance checker.
//!
//! Ground truth is the official OpenAPI document (`RealtimeClientEvent` and
//! every schema it reaches). The model parses leniently and re-emits
//! faithfully:
//!
//! - every spec-valid frame parses, and serializes back to the same JSON
//!   value (nothing injected, nothing dropped);
//! - members the spec does not name are kept in `extra` and re-emitted
//!   (most schemas leave `additionalProperties` open, and a proxy must not
//!   lose data); the few closed schemas reject them;
//! - where the spec gives `null` a meaning, absent, `null` and a value stay
//!   apart ([`Nullable`]); elsewhere an explicit `null` on an optional member
//!   is accepted and read as absent (real clients send `"event_id": null`),
//!   which is the one normalization a round trip makes;
//! - `type` may stand anywhere in an object, at every depth;
//! - frames of any other `type` parse into [`ClientEvent::Unknown`] intact.
//!
//! Value constraints that the types do not enforce (lengths, ranges, base64,
//! which members a content part needs) are the conformance checker's job.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[macro_use]
mod wire;

pub mod model;

pub mod events;

pub mod fast;

mod error;
pub mod fidelity;
pub mod spec_files;

pub mod check;

pub mod protocol;

#[cfg(feature = "serve")]
pub mod serve;

#[cfg(feature = "schema")]
pub mod schema;

#[cfg(feature = "arbitrary")]
pub mod fuzzing;

#[cfg(feature = "cli")]
pub mod cli;

// The paths of the first release, kept for users: the model's modules at the
// crate root, `event`, `shape` and `arb`.
pub use events::client as event;
pub use model::{
    audio, audio_data, content, generation, item, mcp_item, prompt, response, session, tool_choice,
    tools, tracing, truncation, turn_detection,
};
#[cfg(feature = "arbitrary")]
pub use wire::arb;

/// The model's description of itself ([`shape::Shape`]), and the shape and
/// vocabulary of the client event family.
pub mod shape {
    pub use crate::events::{client_event, vocabulary};
    pub use crate::wire::shape::*;
}

pub use error::{ErrorCategory, ParseError};
pub use events::{
    ClientEvent, ClientEventRef, RealtimeClientEvent, RealtimeServerEvent, ServerEvent,
    ServerEventRef,
};
pub use model::{
    AudioFormat, AudioFormatType, AudioTranscription, Base64Audio, ConversationItem, MessageItem,
    NoiseReduction, RealtimeResponse, RealtimeResponseCreateParams, RealtimeSessionConfig,
    RealtimeTool, SessionConfig, TranscriptionSessionConfig, TurnDetection, Voice,
};
pub use wire::{ExtraMembers, Nullable};

/// The README's Rust examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
