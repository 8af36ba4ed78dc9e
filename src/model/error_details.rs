//! The `error` objects the server sends: in the `error` event (inline in
//! `RealtimeServerEventError`) and when an input transcription fails
//! (inline in `RealtimeServerEventConversationItemInputAudioTranscriptionFailed`).

wire_object! {
    /// The `error` member of the `error` event.
    ///
    /// `code`, `param` and `event_id` are `anyOf [string, null]` in the spec,
    /// and servers send all three forms, so absent, `null` and a value stay
    /// apart.
    #[derive(Default)]
    pub struct ErrorDetails : "an error object", open {
        /// `type`: the kind of error, e.g. `invalid_request_error`.
        req r#type: String,
        /// `code`: a machine-readable code, if any.
        null code: String,
        /// `message`: what went wrong.
        req message: String,
        /// `param`: the parameter the error is about, if any.
        null param: String,
        /// `event_id`: the client event that caused it, if any.
        null event_id: String,
    }
}

wire_object! {
    /// The `error` member of
    /// `conversation.item.input_audio_transcription.failed`; every member
    /// is optional.
    #[derive(Default)]
    pub struct TranscriptionError : "a transcription error object", open {
        /// `type`: the kind of error.
        opt r#type: String,
        /// `code`: a machine-readable code.
        opt code: String,
        /// `message`: what went wrong.
        opt message: String,
        /// `param`: the parameter the error is about.
        opt param: String,
    }
}
