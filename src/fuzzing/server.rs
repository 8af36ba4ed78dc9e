//! The server targets' bodies: raw frames, arbitrary events and the
//! zero-copy audio-delta path, over [`ServerEvent`].

use super::frame;
use crate::events::server_ref::check_agreement;
use crate::ServerEvent;

/// `server_event_json` (and `server_event_json_structured`): raw bytes to
/// [`ServerEvent::from_slice`]. Rejected input must come back as an error
/// that names a path or a position inside the input; accepted input must
/// keep every promise of [`super::check_parsed_frame`] (a faithful
/// re-serialization up to dropped `null`s, the catch-all keeping the frame);
/// and every entry point agrees with the serde path ([`check_agreement`]),
/// since a server frame reaches the zero-copy scanner through `from_slice`.
pub fn server_event_json(data: &[u8]) {
    frame::event_json::<ServerEvent>(data);
    server_event_ref_agrees(data);
}

/// `server_event_roundtrip`: an arbitrary (spec-valid) server event
/// serializes, parses back to the same event and keeps its JSON value; the
/// checker finds no error in the frame ([`crate::check::validate_server_frame`]),
/// and the official schema (`RealtimeServerEvent`, defects fixed) accepts
/// it: what a conforming server sends, the model generates.
pub fn server_event_roundtrip(event: &ServerEvent) {
    let frame = frame::event_roundtrip(event);
    let report = crate::check::validate_server_frame(event, &frame);
    let errors: Vec<String> = report.errors().map(ToString::to_string).collect();
    assert!(
        errors.is_empty(),
        "the checker rejects an arbitrary server event: {}\nframe: {frame}",
        errors.join("; ")
    );
    #[cfg(feature = "schema")]
    {
        let oracle = crate::schema::SchemaOracle::shared_server()
            .unwrap_or_else(|e| panic!("server_event_roundtrip needs the official schema: {e}"));
        if let Err(violations) = oracle.validate_ga(&frame) {
            let shown: Vec<String> = violations.iter().map(ToString::to_string).collect();
            panic!(
                "the schema rejects an arbitrary server event: {}\nframe: {frame}",
                shown.join("; ")
            );
        }
    }
}

/// `server_event_ref_agrees`: every server entry point agrees with the serde
/// path on every input ([`check_agreement`]): [`ServerEvent::from_slice`]
/// and [`crate::ServerEventRef::from_slice`] give the same event or the same
/// error, and every writer emits serde_json's bytes.
pub fn server_event_ref_agrees(data: &[u8]) {
    if let Err(disagreement) = check_agreement(data) {
        panic!("{disagreement}\ninput: {:?}", String::from_utf8_lossy(data));
    }
}
