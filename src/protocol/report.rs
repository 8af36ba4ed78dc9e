//! What a client did wrong, as the protocol machine saw it: one
//! [`ClientFinding`] per mistake, under a stable rule id. Frames the
//! checker judges non-conforming carry the checker's rule ids
//! ([`crate::check::Rule`]); mistakes only the conversation's state shows
//! carry a [`ProtocolRule`].

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::check::{write_finding, Rule, Severity};

crate::check::rule_table! {
    /// A rule of the conversation that one frame alone cannot break.
    ProtocolRule {
        ParseError = "parse-error", Error,
            "every frame is one JSON client event the model reads";
        BinaryFrame = "binary-frame", Error,
            "the client sends text frames only (the API speaks JSON)";
        OversizeFrame = "oversize-frame", Error,
            "a frame is at most the server's frame limit";
        UnknownEventType = "unknown-event-type", Error,
            "`type` is one of the eleven GA client events";
        BeforeSessionCreated = "before-session-created", Warning,
            "the client waits for `session.created` before sending";
        SessionUpdateRejected = "session-update-rejected", Error,
            "`session.update` changes only what the session allows (not its `type`, not the voice once audio was sent)";
        ResponseWhileActive = "response-while-active", Error,
            "`response.create` waits for the active response's `response.done`";
        CancelWithoutResponse = "cancel-without-response", Error,
            "`response.cancel` names an active response";
        CommitTooShort = "commit-too-short", Error,
            "`input_audio_buffer.commit` follows at least 100 ms of appended audio";
        AudioFormatMismatch = "audio-format-mismatch", Error,
            "appended audio is in the session's input format";
        ItemNotFound = "item-not-found", Error,
            "item ids (`item_id`, `previous_item_id`, `item_reference`) name items of the conversation";
        DuplicateItemId = "duplicate-item-id", Error,
            "a created item's `id` is not already in the conversation";
        TruncateNotAssistantAudio = "truncate-not-assistant-audio", Error,
            "`conversation.item.truncate` targets an assistant message's audio part";
        TruncateBeyondAudio = "truncate-beyond-audio", Error,
            "`audio_end_ms` is within the audio of the truncated item";
        TranscriptionSessionResponse = "transcription-session-response", Error,
            "a transcription session creates no responses";
        NothingToClear = "nothing-to-clear", Warning,
            "`output_audio_buffer.clear` follows a response with audio";
        ServerResponseWhileActive = "server-response-while-active", Error,
            "the server starts a response (`response.created`) only when no other is active";
        ResponseWithoutDone = "response-without-done", Error,
            "every `response.created` is followed by that response's `response.done`";
        UnannouncedId = "unannounced-id", Error,
            "every `item_id`, `response_id` and `content_index` a server event names was announced before it (an output item's by `response.output_item.added`, a part by `response.content_part.added`)";
        OutputReferenceMismatch = "output-reference-mismatch", Error,
            "an output item is added at its response's next `output_index`, and its events carry that `output_index` and `response_id`";
        EventAfterDone = "event-after-done", Error,
            "nothing of a response follows its `response.done`, nothing of an output item its `response.output_item.done`";
        DoneBeforeItemDone = "done-before-item-done", Error,
            "`response.done` follows the `response.output_item.done` of every item of the response";
        TruncateConfirmedBeyondAudio = "truncate-confirmed-beyond-audio", Error,
            "`conversation.item.truncated` confirms only what a truncate may do: an assistant audio part, within the audio the server sent";
        ErrorWithoutEventId = "error-without-event-id", Error,
            "an `error` that answers a client event names that event's `event_id`, and names no id the client did not send";
    }
}

/// The rule a finding is under: a checker rule or a protocol rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingRule {
    /// A per-frame conformance rule of the checker.
    Check(Rule),
    /// A rule of the conversation.
    Protocol(ProtocolRule),
}

impl FindingRule {
    /// The stable id.
    pub const fn id(self) -> &'static str {
        match self {
            FindingRule::Check(rule) => rule.id(),
            FindingRule::Protocol(rule) => rule.id(),
        }
    }

    /// The severity.
    pub const fn severity(self) -> Severity {
        match self {
            FindingRule::Check(rule) => rule.severity(),
            FindingRule::Protocol(rule) => rule.severity(),
        }
    }
}

/// One thing a client did wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFinding {
    /// The 1-based index of the client frame on the connection.
    pub frame: u64,
    /// The frame's wire `type`, when it has one.
    pub event_type: Option<String>,
    /// The frame's `event_id`, when it has one.
    pub event_id: Option<String>,
    /// The rule broken.
    pub rule: FindingRule,
    /// JSON pointer of the offending member (empty: the frame itself).
    pub pointer: String,
    /// One line saying what is wrong.
    pub message: String,
}

impl fmt::Display for ClientFinding {
    /// `frame 7 response.create (evt_1): error[response-while-active] /: ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frame {}", self.frame)?;
        if let Some(event_type) = &self.event_type {
            write!(f, " {event_type}")?;
        }
        if let Some(event_id) = &self.event_id {
            write!(f, " ({event_id})")?;
        }
        f.write_str(": ")?;
        write_finding(
            f,
            self.rule.severity(),
            self.rule.id(),
            &self.pointer,
            &self.message,
        )
    }
}

impl Serialize for ClientFinding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ClientFinding", 7)?;
        s.serialize_field("frame", &self.frame)?;
        s.serialize_field("event_type", &self.event_type)?;
        s.serialize_field("event_id", &self.event_id)?;
        s.serialize_field("rule", self.rule.id())?;
        s.serialize_field("severity", &self.rule.severity())?;
        s.serialize_field("pointer", &self.pointer)?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}
