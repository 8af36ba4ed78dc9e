//! Server events, spec schema `RealtimeServerEvent`: the 46 GA events,
//! tagged by `type`, and a catch-all that keeps any other frame intact (a
//! server may send event types newer than this model, and a client or proxy
//! must not fail on them).
//!
//! Nested types are the ones client events use ([`crate::model`]), read
//! leniently; what a server event must carry beyond its schema's required
//! members is the checker's to judge.

use crate::model::audio_data::Base64Audio;
use crate::model::content::ResponseContentPart;
use crate::model::conversation::Conversation;
use crate::model::error_details::{ErrorDetails, TranscriptionError};
use crate::model::item::ConversationItem;
use crate::model::rate_limits::RateLimit;
use crate::model::response::RealtimeResponse;
use crate::model::session::SessionConfig;
use crate::model::transcription::{LogProb, TranscriptionLanguage};
use crate::model::usage::TranscriptionUsage;

wire_event_family! {
    /// A server event: one JSON frame sent by a Realtime server, spec schema
    /// `RealtimeServerEvent`.
    ///
    /// Every variant keeps members the spec does not name in `extra` (such
    /// as `obfuscation` on deltas), and [`ServerEvent::Unknown`] keeps
    /// frames of any other `type` (the legacy `conversation.item.created`
    /// is one of the 46 and parses as itself).
    pub enum ServerEvent / RealtimeServerEvent / UnknownServerEventType : "a server event object", "server" {
        /// `conversation.created`: spec schema `RealtimeServerEventConversationCreated`.
        "conversation.created" ("RealtimeServerEventConversationCreated") => ConversationCreated / ConversationCreatedMembers / conversation_created {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The conversation.
            req conversation: Conversation,
        },
        /// `conversation.item.created`: spec schema `RealtimeServerEventConversationItemCreated`.
        "conversation.item.created" ("RealtimeServerEventConversationItemCreated") => ConversationItemCreated / ConversationItemCreatedMembers / conversation_item_created {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item before this one; `null` when it is first.
            null previous_item_id: String,
            /// The item.
            req item: Box<ConversationItem>,
        },
        /// `conversation.item.deleted`: spec schema `RealtimeServerEventConversationItemDeleted`.
        "conversation.item.deleted" ("RealtimeServerEventConversationItemDeleted") => ConversationItemDeleted / ConversationItemDeletedMembers / conversation_item_deleted {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `conversation.item.input_audio_transcription.completed`: spec schema `RealtimeServerEventConversationItemInputAudioTranscriptionCompleted`.
        "conversation.item.input_audio_transcription.completed" ("RealtimeServerEventConversationItemInputAudioTranscriptionCompleted") => ConversationItemInputAudioTranscriptionCompleted / ConversationItemInputAudioTranscriptionCompletedMembers / conversation_item_input_audio_transcription_completed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The whole transcript.
            req transcript: String,
            /// Languages detected in the audio.
            opt_list languages: TranscriptionLanguage,
            /// Log probabilities of the tokens, or `null`.
            null_list logprobs: LogProb,
            /// What the transcription was billed.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::model::usage::arb::transcription))]
            req usage: TranscriptionUsage,
        },
        /// `conversation.item.input_audio_transcription.delta`: spec schema `RealtimeServerEventConversationItemInputAudioTranscriptionDelta`.
        "conversation.item.input_audio_transcription.delta" ("RealtimeServerEventConversationItemInputAudioTranscriptionDelta") => ConversationItemInputAudioTranscriptionDelta / ConversationItemInputAudioTranscriptionDeltaMembers / conversation_item_input_audio_transcription_delta {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
            opt content_index: i64,
            /// The transcript text added.
            opt delta: String,
            /// Log probabilities of the tokens, or `null`.
            null_list logprobs: LogProb,
        },
        /// `conversation.item.input_audio_transcription.failed`: spec schema `RealtimeServerEventConversationItemInputAudioTranscriptionFailed`.
        "conversation.item.input_audio_transcription.failed" ("RealtimeServerEventConversationItemInputAudioTranscriptionFailed") => ConversationItemInputAudioTranscriptionFailed / ConversationItemInputAudioTranscriptionFailedMembers / conversation_item_input_audio_transcription_failed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// Why the transcription failed.
            req error: TranscriptionError,
        },
        /// `conversation.item.retrieved`: spec schema `RealtimeServerEventConversationItemRetrieved`.
        "conversation.item.retrieved" ("RealtimeServerEventConversationItemRetrieved") => ConversationItemRetrieved / ConversationItemRetrievedMembers / conversation_item_retrieved {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item.
            req item: Box<ConversationItem>,
        },
        /// `conversation.item.truncated`: spec schema `RealtimeServerEventConversationItemTruncated`.
        "conversation.item.truncated" ("RealtimeServerEventConversationItemTruncated") => ConversationItemTruncated / ConversationItemTruncatedMembers / conversation_item_truncated {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// Milliseconds of audio up to the end.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req audio_end_ms: i64,
        },
        /// `error`: spec schema `RealtimeServerEventError`.
        "error" ("RealtimeServerEventError") => Error / ErrorMembers / error {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// What went wrong.
            req error: Box<ErrorDetails>,
        },
        /// `input_audio_buffer.cleared`: spec schema `RealtimeServerEventInputAudioBufferCleared`.
        "input_audio_buffer.cleared" ("RealtimeServerEventInputAudioBufferCleared") => InputAudioBufferCleared / InputAudioBufferClearedMembers / input_audio_buffer_cleared {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
        },
        /// `input_audio_buffer.committed`: spec schema `RealtimeServerEventInputAudioBufferCommitted`.
        "input_audio_buffer.committed" ("RealtimeServerEventInputAudioBufferCommitted") => InputAudioBufferCommitted / InputAudioBufferCommittedMembers / input_audio_buffer_committed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item before this one; `null` when it is first.
            null previous_item_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `input_audio_buffer.dtmf_event_received`: spec schema `RealtimeServerEventInputAudioBufferDtmfEventReceived`.
        "input_audio_buffer.dtmf_event_received" ("RealtimeServerEventInputAudioBufferDtmfEventReceived") => InputAudioBufferDtmfEventReceived / InputAudioBufferDtmfEventReceivedMembers / input_audio_buffer_dtmf_event_received {
            /// The DTMF key pressed.
            req event: String,
            /// When the key press arrived, in seconds since the epoch.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req received_at: i64,
        },
        /// `input_audio_buffer.speech_started`: spec schema `RealtimeServerEventInputAudioBufferSpeechStarted`.
        "input_audio_buffer.speech_started" ("RealtimeServerEventInputAudioBufferSpeechStarted") => InputAudioBufferSpeechStarted / InputAudioBufferSpeechStartedMembers / input_audio_buffer_speech_started {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// Milliseconds of audio up to the start.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req audio_start_ms: i64,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `input_audio_buffer.speech_stopped`: spec schema `RealtimeServerEventInputAudioBufferSpeechStopped`.
        "input_audio_buffer.speech_stopped" ("RealtimeServerEventInputAudioBufferSpeechStopped") => InputAudioBufferSpeechStopped / InputAudioBufferSpeechStoppedMembers / input_audio_buffer_speech_stopped {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// Milliseconds of audio up to the end.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req audio_end_ms: i64,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `rate_limits.updated`: spec schema `RealtimeServerEventRateLimitsUpdated`.
        "rate_limits.updated" ("RealtimeServerEventRateLimitsUpdated") => RateLimitsUpdated / RateLimitsUpdatedMembers / rate_limits_updated {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The rate limits now.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::model::rate_limits::arb::rate_limits))]
            req_list rate_limits: RateLimit,
        },
        /// `response.output_audio.delta`: spec schema `RealtimeServerEventResponseAudioDelta`.
        "response.output_audio.delta" ("RealtimeServerEventResponseAudioDelta") => ResponseOutputAudioDelta / ResponseOutputAudioDeltaMembers / response_output_audio_delta {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// Base64 audio in the session's output format.
            req delta: Base64Audio,
        },
        /// `response.output_audio.done`: spec schema `RealtimeServerEventResponseAudioDone`.
        "response.output_audio.done" ("RealtimeServerEventResponseAudioDone") => ResponseOutputAudioDone / ResponseOutputAudioDoneMembers / response_output_audio_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
        },
        /// `response.output_audio_transcript.delta`: spec schema `RealtimeServerEventResponseAudioTranscriptDelta`.
        "response.output_audio_transcript.delta" ("RealtimeServerEventResponseAudioTranscriptDelta") => ResponseOutputAudioTranscriptDelta / ResponseOutputAudioTranscriptDeltaMembers / response_output_audio_transcript_delta {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The transcript text added.
            req delta: String,
        },
        /// `response.output_audio_transcript.done`: spec schema `RealtimeServerEventResponseAudioTranscriptDone`.
        "response.output_audio_transcript.done" ("RealtimeServerEventResponseAudioTranscriptDone") => ResponseOutputAudioTranscriptDone / ResponseOutputAudioTranscriptDoneMembers / response_output_audio_transcript_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The whole transcript.
            req transcript: String,
        },
        /// `response.content_part.added`: spec schema `RealtimeServerEventResponseContentPartAdded`.
        "response.content_part.added" ("RealtimeServerEventResponseContentPartAdded") => ResponseContentPartAdded / ResponseContentPartAddedMembers / response_content_part_added {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The content part.
            req part: ResponseContentPart,
        },
        /// `response.content_part.done`: spec schema `RealtimeServerEventResponseContentPartDone`.
        "response.content_part.done" ("RealtimeServerEventResponseContentPartDone") => ResponseContentPartDone / ResponseContentPartDoneMembers / response_content_part_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The content part.
            req part: ResponseContentPart,
        },
        /// `response.created`: spec schema `RealtimeServerEventResponseCreated`.
        "response.created" ("RealtimeServerEventResponseCreated") => ResponseCreated / ResponseCreatedMembers / response_created {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response resource.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::model::response::arb::created))]
            req response: Box<RealtimeResponse>,
        },
        /// `response.done`: spec schema `RealtimeServerEventResponseDone`.
        "response.done" ("RealtimeServerEventResponseDone") => ResponseDone / ResponseDoneMembers / response_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response resource.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::model::response::arb::done))]
            req response: Box<RealtimeResponse>,
        },
        /// `response.function_call_arguments.delta`: spec schema `RealtimeServerEventResponseFunctionCallArgumentsDelta`.
        "response.function_call_arguments.delta" ("RealtimeServerEventResponseFunctionCallArgumentsDelta") => ResponseFunctionCallArgumentsDelta / ResponseFunctionCallArgumentsDeltaMembers / response_function_call_arguments_delta {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The function call id.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::call_id))]
            req call_id: String,
            /// The arguments text added.
            req delta: String,
        },
        /// `response.function_call_arguments.done`: spec schema `RealtimeServerEventResponseFunctionCallArgumentsDone`.
        "response.function_call_arguments.done" ("RealtimeServerEventResponseFunctionCallArgumentsDone") => ResponseFunctionCallArgumentsDone / ResponseFunctionCallArgumentsDoneMembers / response_function_call_arguments_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The function call id.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::call_id))]
            req call_id: String,
            /// The function name.
            req name: String,
            /// The whole arguments, as JSON text.
            req arguments: String,
        },
        /// `response.output_item.added`: spec schema `RealtimeServerEventResponseOutputItemAdded`.
        "response.output_item.added" ("RealtimeServerEventResponseOutputItemAdded") => ResponseOutputItemAdded / ResponseOutputItemAddedMembers / response_output_item_added {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The item.
            req item: Box<ConversationItem>,
        },
        /// `response.output_item.done`: spec schema `RealtimeServerEventResponseOutputItemDone`.
        "response.output_item.done" ("RealtimeServerEventResponseOutputItemDone") => ResponseOutputItemDone / ResponseOutputItemDoneMembers / response_output_item_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The item.
            req item: Box<ConversationItem>,
        },
        /// `response.output_text.delta`: spec schema `RealtimeServerEventResponseTextDelta`.
        "response.output_text.delta" ("RealtimeServerEventResponseTextDelta") => ResponseOutputTextDelta / ResponseOutputTextDeltaMembers / response_output_text_delta {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The text added.
            req delta: String,
        },
        /// `response.output_text.done`: spec schema `RealtimeServerEventResponseTextDone`.
        "response.output_text.done" ("RealtimeServerEventResponseTextDone") => ResponseOutputTextDone / ResponseOutputTextDoneMembers / response_output_text_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The text.
            req text: String,
        },
        /// `session.created`: spec schema `RealtimeServerEventSessionCreated`.
        "session.created" ("RealtimeServerEventSessionCreated") => SessionCreated / SessionCreatedMembers / session_created {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The session as the server holds it.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::session))]
            req session: Box<SessionConfig>,
        },
        /// `session.updated`: spec schema `RealtimeServerEventSessionUpdated`.
        "session.updated" ("RealtimeServerEventSessionUpdated") => SessionUpdated / SessionUpdatedMembers / session_updated {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The session as the server holds it.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::session))]
            req session: Box<SessionConfig>,
        },
        /// `output_audio_buffer.started`: spec schema `RealtimeServerEventOutputAudioBufferStarted`.
        "output_audio_buffer.started" ("RealtimeServerEventOutputAudioBufferStarted") => OutputAudioBufferStarted / OutputAudioBufferStartedMembers / output_audio_buffer_started {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
        },
        /// `output_audio_buffer.stopped`: spec schema `RealtimeServerEventOutputAudioBufferStopped`.
        "output_audio_buffer.stopped" ("RealtimeServerEventOutputAudioBufferStopped") => OutputAudioBufferStopped / OutputAudioBufferStoppedMembers / output_audio_buffer_stopped {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
        },
        /// `output_audio_buffer.cleared`: spec schema `RealtimeServerEventOutputAudioBufferCleared`.
        "output_audio_buffer.cleared" ("RealtimeServerEventOutputAudioBufferCleared") => OutputAudioBufferCleared / OutputAudioBufferClearedMembers / output_audio_buffer_cleared {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
        },
        /// `conversation.item.added`: spec schema `RealtimeServerEventConversationItemAdded`.
        "conversation.item.added" ("RealtimeServerEventConversationItemAdded") => ConversationItemAdded / ConversationItemAddedMembers / conversation_item_added {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item before this one; `null` when it is first.
            null previous_item_id: String,
            /// The item.
            req item: Box<ConversationItem>,
        },
        /// `conversation.item.done`: spec schema `RealtimeServerEventConversationItemDone`.
        "conversation.item.done" ("RealtimeServerEventConversationItemDone") => ConversationItemDone / ConversationItemDoneMembers / conversation_item_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item before this one; `null` when it is first.
            null previous_item_id: String,
            /// The item.
            req item: Box<ConversationItem>,
        },
        /// `input_audio_buffer.timeout_triggered`: spec schema `RealtimeServerEventInputAudioBufferTimeoutTriggered`.
        "input_audio_buffer.timeout_triggered" ("RealtimeServerEventInputAudioBufferTimeoutTriggered") => InputAudioBufferTimeoutTriggered / InputAudioBufferTimeoutTriggeredMembers / input_audio_buffer_timeout_triggered {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// Milliseconds of audio up to the start.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req audio_start_ms: i64,
            /// Milliseconds of audio up to the end.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req audio_end_ms: i64,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `conversation.item.input_audio_transcription.segment`: spec schema `RealtimeServerEventConversationItemInputAudioTranscriptionSegment`.
        "conversation.item.input_audio_transcription.segment" ("RealtimeServerEventConversationItemInputAudioTranscriptionSegment") => ConversationItemInputAudioTranscriptionSegment / ConversationItemInputAudioTranscriptionSegmentMembers / conversation_item_input_audio_transcription_segment {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The content part's index in the item.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req content_index: i64,
            /// The segment's text.
            req text: String,
            /// The segment id.
            req id: String,
            /// The speaker label.
            req speaker: String,
            /// Start of the segment, in seconds.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::seconds))]
            req start: f64,
            /// End of the segment, in seconds.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::seconds))]
            req end: f64,
        },
        /// `mcp_list_tools.in_progress`: spec schema `RealtimeServerEventMCPListToolsInProgress`.
        "mcp_list_tools.in_progress" ("RealtimeServerEventMCPListToolsInProgress") => McpListToolsInProgress / McpListToolsInProgressMembers / mcp_list_tools_in_progress {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `mcp_list_tools.completed`: spec schema `RealtimeServerEventMCPListToolsCompleted`.
        "mcp_list_tools.completed" ("RealtimeServerEventMCPListToolsCompleted") => McpListToolsCompleted / McpListToolsCompletedMembers / mcp_list_tools_completed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `mcp_list_tools.failed`: spec schema `RealtimeServerEventMCPListToolsFailed`.
        "mcp_list_tools.failed" ("RealtimeServerEventMCPListToolsFailed") => McpListToolsFailed / McpListToolsFailedMembers / mcp_list_tools_failed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `response.mcp_call_arguments.delta`: spec schema `RealtimeServerEventResponseMCPCallArgumentsDelta`.
        "response.mcp_call_arguments.delta" ("RealtimeServerEventResponseMCPCallArgumentsDelta") => ResponseMcpCallArgumentsDelta / ResponseMcpCallArgumentsDeltaMembers / response_mcp_call_arguments_delta {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The arguments text added.
            req delta: String,
            /// Padding that hides the size of the delta, or `null`.
            null obfuscation: String,
        },
        /// `response.mcp_call_arguments.done`: spec schema `RealtimeServerEventResponseMCPCallArgumentsDone`.
        "response.mcp_call_arguments.done" ("RealtimeServerEventResponseMCPCallArgumentsDone") => ResponseMcpCallArgumentsDone / ResponseMcpCallArgumentsDoneMembers / response_mcp_call_arguments_done {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The response the event belongs to.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::response_id))]
            req response_id: String,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The whole arguments, as JSON text.
            req arguments: String,
        },
        /// `response.mcp_call.in_progress`: spec schema `RealtimeServerEventResponseMCPCallInProgress`.
        "response.mcp_call.in_progress" ("RealtimeServerEventResponseMCPCallInProgress") => ResponseMcpCallInProgress / ResponseMcpCallInProgressMembers / response_mcp_call_in_progress {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `response.mcp_call.completed`: spec schema `RealtimeServerEventResponseMCPCallCompleted`.
        "response.mcp_call.completed" ("RealtimeServerEventResponseMCPCallCompleted") => ResponseMcpCallCompleted / ResponseMcpCallCompletedMembers / response_mcp_call_completed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
        /// `response.mcp_call.failed`: spec schema `RealtimeServerEventResponseMCPCallFailed`.
        "response.mcp_call.failed" ("RealtimeServerEventResponseMCPCallFailed") => ResponseMcpCallFailed / ResponseMcpCallFailedMembers / response_mcp_call_failed {
            /// The server-generated id of this event.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::event_id))]
            req event_id: String,
            /// The output item's index in the response.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req output_index: i64,
            /// The item the event is about.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::server::arb::item_id))]
            req item_id: String,
        },
    }
}

/// Generators for server event members where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
#[path = "server_arb.rs"]
pub(crate) mod arb;
