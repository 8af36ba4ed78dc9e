//! A spec-faithful model of the OpenAI Realtime API events in both
//! directions ([`ClientEvent`], [`ServerEvent`]), and the harness around it:
//! property tests, fuzz targets, benchmarks and a conformance checker. The
//! layers are the folders; `ARCHITECTURE.md` says which way imports go and
//! where new work belongs.
//!
//! Ground truth is the official OpenAPI document (`RealtimeClientEvent`,
//! `RealtimeServerEvent` and every schema they reach). The model parses
//! leniently and re-emits faithfully:
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
//! - frames of any other `type` parse into [`ClientEvent::Unknown`] (or
//!   [`ServerEvent::Unknown`]) intact.
//!
//! Value constraints that the types do not enforce (lengths, ranges, base64,
//! which members a content part needs) are the conformance checker's job
//! ([`check::validate`]).
//!
//! ```
//! use realtime_harness::check::validate;
//! use realtime_harness::{ClientEvent, ClientEventRef, ConversationItem, RealtimeClientEvent};
//!
//! // Parse a frame: errors name the JSON path, the expectation, line and column.
//! let event = ClientEvent::from_slice(br#"{"type":"response.create","response":{"conversation":"none"}}"#)?;
//! assert_eq!(event.to_event_type(), Some(RealtimeClientEvent::ResponseCreate));
//!
//! // Build one, and check it against the spec's rules before sending it.
//! let item = ClientEvent::conversation_item_create(None, None, ConversationItem::user_text("Hi"));
//! assert!(validate(&item).is_empty());
//! let wire: Vec<u8> = item.to_vec();
//!
//! // Large audio frames: borrow the audio instead of copying it.
//! let append = ClientEventRef::from_slice(br#"{"type":"input_audio_buffer.append","audio":"AAAA"}"#)?;
//! assert!(append.audio().unwrap().is_borrowed());
//! # let _ = wire;
//! # Ok::<(), realtime_harness::ParseError>(())
//! ```
//!
//! More in `examples/` (`cargo run --example parse`, `build`, `validate`, `zero_copy`).
//! With `default-features = false` the crate is the model, the fast path and the checker
//! only: no command-line tool, no JSON Schema oracle, no `arbitrary`.

// One audited exception, measured and explained where it stands:
// `plain_str` in `src/fast/plain.rs` turns bytes the scanner has just proved
// ASCII into `&str` without a second pass (the owned parse's copy of the
// audio). `deny` rather than `forbid` so that that one function can allow it;
// a test there fails if `unsafe` appears anywhere else in `src/`.
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[macro_use]
mod wire;

pub mod model;

pub mod events;

pub mod fast;

pub mod capture;
mod error;
pub mod fidelity;
pub mod pointer;
pub mod rng;
pub mod spec_files;

pub mod check;

pub mod protocol;

#[cfg(feature = "serve")]
pub mod serve;

#[cfg(feature = "proxy")]
pub mod proxy;

#[cfg(feature = "tls")]
pub mod tls;

#[cfg(feature = "schema")]
pub mod schema;

#[cfg(feature = "arbitrary")]
pub mod fuzzing;

#[cfg(feature = "probe")]
pub mod probe;

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
pub use wire::{ExtraMembers, Nullable, RawJson, RawObject};

/// The README's Rust examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
