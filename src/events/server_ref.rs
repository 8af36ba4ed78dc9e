//! [`ServerEventRef`]: a server event that borrows the audio of
//! `response.output_audio.delta` frames from the input, on the scanner in
//! [`crate::fast`].
//!
//! A server streams a response's audio as many deltas, from a few KiB to
//! over 64 KiB each; a client, proxy or checker that only forwards or
//! decodes them should not copy the base64 first. Delta frames of the
//! common shape (the six members the spec requires, in any order) are read
//! without serde; every other frame is parsed into the owned model. Every
//! entry point accepts and rejects exactly the frames the serde path does,
//! with the same values and the same errors; [`check_agreement`] states that
//! property for one input.

use super::server::{RealtimeServerEvent, ServerEvent};
use crate::fast::scan;
use crate::fast::write::{self, SmallOut};
use crate::model::audio_data::Base64Audio;
use crate::wire::ExtraMembers;

event_ref! {
    /// A server event that borrows its audio from the input frame.
    pub enum ServerEventRef of ServerEvent / RealtimeServerEvent, "server" {
        /// `response.output_audio.delta`: spec schema
        /// `RealtimeServerEventResponseAudioDelta`.
        ResponseOutputAudioDelta {
            /// The server-generated event id; borrowed unless it had escapes.
            str event_id,
            /// The response the delta belongs to.
            str response_id,
            /// The item the delta belongs to.
            str item_id,
            /// The output item's index in the response.
            int output_index,
            /// The content part's index in the item.
            int content_index,
            /// Base64 audio in the session's output format.
            audio delta,
        }
        /// Any other event, in the owned model (never a
        /// `response.output_audio.delta` when produced by
        /// [`ServerEventRef::from_slice`] from a frame of the common shape).
        Other
    }
    audio: delta, scan: scan::plain_audio_delta, write: delta_frame, owned_frame: owned_delta_frame
}

/// The bytes serde_json writes for a `response.output_audio.delta`, written
/// directly when the audio is plain and there are no unknown members.
pub(crate) fn delta_frame(
    event_id: &str,
    response_id: &str,
    item_id: &str,
    output_index: i64,
    content_index: i64,
    delta: &[u8],
    extra: &ExtraMembers,
) -> Option<Vec<u8>> {
    write::frame(
        RealtimeServerEvent::ResponseOutputAudioDelta.as_str(),
        &[
            ("event_id", Some(SmallOut::Str(event_id))),
            ("response_id", Some(SmallOut::Str(response_id))),
            ("item_id", Some(SmallOut::Str(item_id))),
            ("output_index", Some(SmallOut::Int(output_index))),
            ("content_index", Some(SmallOut::Int(content_index))),
        ],
        "delta",
        delta,
        extra,
    )
}

/// The owned event of a delta frame of the common shape, `None` for any
/// other frame. The scanner copies the audio while it checks it: one pass
/// over the frame and one copy.
pub(crate) fn owned_delta(bytes: &[u8]) -> Option<ServerEvent> {
    let mut delta = String::new();
    let frame = scan::plain_audio_delta(bytes, Some(&mut delta))?;
    Some(ServerEvent::ResponseOutputAudioDelta {
        event_id: frame.event_id.into_owned(),
        response_id: frame.response_id.into_owned(),
        item_id: frame.item_id.into_owned(),
        output_index: frame.output_index,
        content_index: frame.content_index,
        delta: Base64Audio::new(delta),
        extra: ExtraMembers::new(),
    })
}

/// Parses `bytes` with every server entry point and checks each agrees with
/// the serde path: [`ServerEvent::from_slice`] and
/// [`ServerEventRef::from_slice`] give the same event or the same error,
/// and when the frame parses, [`ServerEvent::to_vec`],
/// [`ServerEventRef::to_vec`] and `ServerEventRef`'s `Serialize` write
/// serde_json's bytes. The body of the `server_event_ref_agrees` fuzz target
/// and of its property test; the error describes the first disagreement.
pub fn check_agreement(bytes: &[u8]) -> Result<(), String> {
    super::agreement::check_agreement::<ServerEvent>(bytes)
}
