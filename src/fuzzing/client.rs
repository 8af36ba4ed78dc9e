//! The client targets' bodies: raw frames, arbitrary events and the
//! zero-copy path, over [`ClientEvent`].

use super::frame;
use crate::ClientEvent;

/// `client_event_json` (and `client_event_json_structured`): raw bytes to
/// [`ClientEvent::from_slice`]. Rejected input must come back as an error
/// that names a path or a position inside the input; accepted input must
/// keep every promise of [`super::check_parsed_frame`].
pub fn client_event_json(data: &[u8]) {
    frame::event_json::<ClientEvent>(data);
}

/// `client_event_roundtrip`: a structured event serializes, parses back to
/// the same event, and its JSON value survives unchanged (no
/// normalization at all: the model never emits a `null` it would drop).
pub fn client_event_roundtrip(event: &ClientEvent) {
    frame::event_roundtrip(event);
}

/// `client_event_ref_agrees`: every entry point agrees with the serde path
/// on every input ([`crate::events::client_ref::check_agreement`]): the
/// owned and the zero-copy parse give the same event or the same error, and
/// both write serde_json's bytes.
pub fn client_event_ref_agrees(data: &[u8]) {
    if let Err(disagreement) = crate::events::client_ref::check_agreement(data) {
        panic!("{disagreement}\ninput: {:?}", String::from_utf8_lossy(data));
    }
}
