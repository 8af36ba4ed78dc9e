//! [`ClientEventRef`]: a client event that borrows the audio of
//! `input_audio_buffer.append` frames from the input, on the scanner in
//! [`crate::fast`].
//!
//! It borrows the audio (and an unescaped `event_id`) of append frames of the
//! common shape; every other frame is parsed into the owned model: those
//! frames are small or rare, and the owned model is the one source of truth
//! for their members. Every entry point accepts and rejects exactly the
//! frames the serde path ([`ClientEvent::from_slice_serde`]) does, with the
//! same values and the same errors; [`check_agreement`] states that property
//! for one input, and the property tests (`tests/fast_path.rs`) and the
//! `client_event_ref_agrees` fuzz target run it.

use super::client::{ClientEvent, RealtimeClientEvent};
use crate::fast::{scan, write};

event_ref! {
    /// A client event that borrows its audio from the input frame.
    ///
    /// `input_audio_buffer.append` frames of the common shape are read without
    /// serde and without copying the audio; any other frame is parsed into the
    /// owned [`ClientEvent`] ([`ClientEventRef::Other`]). An append frame the
    /// scanner leaves to serde (escapes in the audio, unknown members, ...) is
    /// still returned as [`ClientEventRef::InputAudioBufferAppend`], with owned
    /// strings.
    ///
    /// ```
    /// use realtime_harness::ClientEventRef;
    ///
    /// let frame = br#"{"type":"input_audio_buffer.append","event_id":"evt_7","audio":"AAAAAAAA"}"#;
    /// let event = ClientEventRef::from_slice(frame)?;
    /// let audio = event.audio().expect("an append frame");
    /// assert!(audio.is_borrowed()); // points into `frame`: no copy of the audio
    /// assert_eq!(audio.decode().unwrap(), [0u8; 6]);
    /// assert_eq!(event.event_id().as_deref(), Some("evt_7"));
    /// assert_eq!(event.to_vec(), frame.to_vec());
    ///
    /// // Every other frame is parsed into the owned model.
    /// let other = ClientEventRef::from_slice(br#"{"type":"response.cancel"}"#)?;
    /// assert!(matches!(other, ClientEventRef::Other(_)));
    /// # Ok::<(), realtime_harness::ParseError>(())
    /// ```
    pub enum ClientEventRef of ClientEvent / RealtimeClientEvent, "client" {
        /// `input_audio_buffer.append`: spec schema
        /// `RealtimeClientEventInputAudioBufferAppend`.
        InputAudioBufferAppend {
            /// Optional client-generated id; borrowed unless it had escapes.
            opt_str event_id,
            /// Base64 audio in the session's input format.
            audio audio,
        }
        /// Any other event, in the owned model (never an
        /// `input_audio_buffer.append` when produced by
        /// [`ClientEventRef::from_slice`]).
        Other
    }
    audio: audio, scan: scan::plain_append, write: write::append_frame, owned_frame: owned_append_frame
}

/// Parses `bytes` with every entry point and checks each agrees with the
/// serde path: [`ClientEvent::from_slice`] and [`ClientEventRef::from_slice`]
/// give the same event or the same error, and when the frame parses,
/// [`ClientEvent::to_vec`] and [`ClientEventRef::to_vec`] write serde_json's
/// bytes. The body of the `fast_path` property tests, and meant as the body
/// of a fuzz target; the error describes the first disagreement.
pub fn check_agreement(bytes: &[u8]) -> Result<(), String> {
    super::agreement::check_agreement::<ClientEvent>(bytes)
}
