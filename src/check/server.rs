//! Server events (`RealtimeServerEvent`): ids, indexes, the server's
//! session, rate limits, audio deltas, and the items, responses and sessions
//! they carry (judged by the rules both directions share; the response
//! resource and usage have files of their own).

use super::item::{self, Placement};
use super::response::{resource, Lifecycle};
use super::usage::transcription_tokens;
use super::values::non_negative as index;
use super::{session, values, Checker, Rule};
use crate::events::server::{RealtimeServerEvent, ServerEvent};
use crate::model::rate_limits::RateLimit;
use crate::model::usage::TranscriptionUsage;

/// Beta-era server event types and the GA names that replaced them.
pub const LEGACY_SERVER_EVENT_TYPES: &[(&str, &str)] = &[
    ("response.text.delta", "response.output_text.delta"),
    ("response.text.done", "response.output_text.done"),
    ("response.audio.delta", "response.output_audio.delta"),
    ("response.audio.done", "response.output_audio.done"),
    (
        "response.audio_transcript.delta",
        "response.output_audio_transcript.delta",
    ),
    (
        "response.audio_transcript.done",
        "response.output_audio_transcript.done",
    ),
    ("transcription_session.created", "session.created"),
    ("transcription_session.updated", "session.updated"),
];

/// The spec schema of a server event (`RealtimeServerEvent` for unknown types).
pub(super) fn event_schema(event: &ServerEvent) -> &'static str {
    event
        .to_event_type()
        .map_or("RealtimeServerEvent", RealtimeServerEvent::schema)
}

pub(super) fn event(c: &mut Checker, event: &ServerEvent) {
    let schema = event_schema(event);
    let ServerEvent::Unknown { event_type, .. } = event else {
        c.object(schema, event.extra().expect("known events have extra"));
        members(c, event, schema);
        return;
    };
    c.closed(schema);
    match LEGACY_SERVER_EVENT_TYPES
        .iter()
        .find(|(legacy, _)| legacy == event_type)
    {
        Some((legacy, ga)) => c.report_member(
            "type",
            Rule::LegacyEventType,
            schema,
            format!("`{legacy}` is a beta-era name; GA servers send `{ga}`"),
        ),
        None => c.report_member(
            "type",
            Rule::UnknownServerEventType,
            schema,
            format!(
                "`{event_type}` is not a GA server event type{}",
                super::event::type_hint(event_type, crate::events::Family::Server)
            ),
        ),
    }
}

/// The members of a known event. Every id and index is checked by name, so
/// that one table serves all 46 events.
fn members(c: &mut Checker, event: &ServerEvent, schema: &'static str) {
    use ServerEvent as E;
    if let Some(id) = event.event_id() {
        id_rule(c, "event_id", id, "event_", schema);
    }
    match event {
        E::SessionCreated { session, .. } | E::SessionUpdated { session, .. } => {
            c.member("session", |c| session::session(c, session));
        }
        E::ConversationItemCreated { item, .. }
        | E::ConversationItemAdded { item, .. }
        | E::ConversationItemDone { item, .. }
        | E::ConversationItemRetrieved { item, .. } => {
            c.member("item", |c| item::item(c, item, Placement::Server));
        }
        E::ResponseOutputItemAdded {
            response_id,
            output_index,
            item,
            ..
        }
        | E::ResponseOutputItemDone {
            response_id,
            output_index,
            item,
            ..
        } => {
            id_rule(c, "response_id", response_id, "resp_", schema);
            index(c, "output_index", *output_index, schema);
            c.member("item", |c| item::item(c, item, Placement::Server));
        }
        E::ResponseCreated { response, .. } => {
            c.member("response", |c| resource(c, response, Lifecycle::Created));
        }
        E::ResponseDone { response, .. } => {
            c.member("response", |c| resource(c, response, Lifecycle::Done));
        }
        E::ResponseOutputAudioDelta {
            response_id,
            item_id,
            output_index,
            content_index,
            delta,
            ..
        } => {
            part_address(
                c,
                response_id,
                item_id,
                *output_index,
                *content_index,
                schema,
            );
            values::audio(c, "delta", delta, schema);
        }
        E::ResponseOutputAudioDone {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputAudioTranscriptDelta {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputAudioTranscriptDone {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputTextDelta {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        }
        | E::ResponseOutputTextDone {
            response_id,
            item_id,
            output_index,
            content_index,
            ..
        } => part_address(
            c,
            response_id,
            item_id,
            *output_index,
            *content_index,
            schema,
        ),
        E::ResponseContentPartAdded {
            response_id,
            item_id,
            output_index,
            content_index,
            part,
            ..
        }
        | E::ResponseContentPartDone {
            response_id,
            item_id,
            output_index,
            content_index,
            part,
            ..
        } => {
            part_address(
                c,
                response_id,
                item_id,
                *output_index,
                *content_index,
                schema,
            );
            c.member("part", |c| {
                c.object(schema, &part.extra);
                if let Some(audio) = &part.audio {
                    values::audio(c, "audio", audio, schema);
                }
            });
        }
        E::ResponseFunctionCallArgumentsDelta {
            response_id,
            item_id,
            output_index,
            call_id,
            ..
        } => {
            item_address(c, response_id, item_id, *output_index, schema);
            id_rule(c, "call_id", call_id, "", schema);
        }
        E::ResponseFunctionCallArgumentsDone {
            response_id,
            item_id,
            output_index,
            call_id,
            arguments,
            ..
        } => {
            item_address(c, response_id, item_id, *output_index, schema);
            id_rule(c, "call_id", call_id, "", schema);
            values::json_string(c, "arguments", arguments, schema);
        }
        E::ResponseMcpCallArgumentsDelta {
            response_id,
            item_id,
            output_index,
            ..
        } => item_address(c, response_id, item_id, *output_index, schema),
        E::ResponseMcpCallArgumentsDone {
            response_id,
            item_id,
            output_index,
            arguments,
            ..
        } => {
            item_address(c, response_id, item_id, *output_index, schema);
            values::json_string(c, "arguments", arguments, schema);
        }
        E::ResponseMcpCallInProgress {
            output_index,
            item_id,
            ..
        }
        | E::ResponseMcpCallCompleted {
            output_index,
            item_id,
            ..
        }
        | E::ResponseMcpCallFailed {
            output_index,
            item_id,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "output_index", *output_index, schema);
        }
        E::ConversationItemDeleted { item_id, .. }
        | E::McpListToolsInProgress { item_id, .. }
        | E::McpListToolsCompleted { item_id, .. }
        | E::McpListToolsFailed { item_id, .. } => id_rule(c, "item_id", item_id, "", schema),
        E::ConversationItemTruncated {
            item_id,
            content_index,
            audio_end_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "content_index", *content_index, schema);
            index(c, "audio_end_ms", *audio_end_ms, schema);
        }
        E::ConversationItemInputAudioTranscriptionCompleted {
            item_id,
            content_index,
            usage,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "content_index", *content_index, schema);
            if let TranscriptionUsage::Tokens(tokens) = usage {
                c.member("usage", |c| transcription_tokens(c, tokens, schema));
            }
        }
        E::ConversationItemInputAudioTranscriptionDelta {
            item_id,
            content_index,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            if let Some(content_index) = content_index {
                index(c, "content_index", *content_index, schema);
            }
        }
        E::ConversationItemInputAudioTranscriptionFailed {
            item_id,
            content_index,
            ..
        }
        | E::ConversationItemInputAudioTranscriptionSegment {
            item_id,
            content_index,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "content_index", *content_index, schema);
        }
        E::InputAudioBufferCommitted { item_id, .. } => {
            id_rule(c, "item_id", item_id, "", schema);
        }
        E::InputAudioBufferSpeechStarted {
            item_id,
            audio_start_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "audio_start_ms", *audio_start_ms, schema);
        }
        E::InputAudioBufferSpeechStopped {
            item_id,
            audio_end_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "audio_end_ms", *audio_end_ms, schema);
        }
        E::InputAudioBufferTimeoutTriggered {
            item_id,
            audio_start_ms,
            audio_end_ms,
            ..
        } => {
            id_rule(c, "item_id", item_id, "", schema);
            index(c, "audio_start_ms", *audio_start_ms, schema);
            index(c, "audio_end_ms", *audio_end_ms, schema);
        }
        E::InputAudioBufferDtmfEventReceived { received_at, .. } => {
            index(c, "received_at", *received_at, schema);
        }
        E::OutputAudioBufferStarted { response_id, .. }
        | E::OutputAudioBufferStopped { response_id, .. }
        | E::OutputAudioBufferCleared { response_id, .. } => {
            id_rule(c, "response_id", response_id, "resp_", schema);
        }
        E::RateLimitsUpdated { rate_limits, .. } => {
            c.items("rate_limits", rate_limits, |c, limit| {
                rate_limit(c, limit, schema)
            });
        }
        E::ConversationCreated { conversation, .. } => {
            c.member("conversation", |c| c.object(schema, &conversation.extra));
        }
        E::Error { error, .. } => c.member("error", |c| c.object(schema, &error.extra)),
        E::InputAudioBufferCleared { .. } | E::Unknown { .. } => {}
    }
}

/// An id the server assigned: not empty, and (a warning) with its kind's
/// prefix where the API gives one. Item ids have none to check: their
/// prefix follows the item's type (`item_`, `mcp_`, `mcpl_`, ...).
pub(super) fn id_rule(c: &mut Checker, name: &str, id: &str, prefix: &str, schema: &'static str) {
    if id.is_empty() {
        c.report_member(name, Rule::IdNonEmpty, schema, format!("`{name}` is empty"));
    } else if !id.starts_with(prefix) {
        c.report_member(
            name,
            Rule::IdPrefix,
            schema,
            format!("`{name}` `{id}` does not start with `{prefix}`"),
        );
    }
}

/// The response, item and output index an event refers to.
fn item_address(
    c: &mut Checker,
    response_id: &str,
    item_id: &str,
    output_index: i64,
    schema: &'static str,
) {
    id_rule(c, "response_id", response_id, "resp_", schema);
    id_rule(c, "item_id", item_id, "", schema);
    index(c, "output_index", output_index, schema);
}

/// The response, item, output index and content index of a part's event.
fn part_address(
    c: &mut Checker,
    response_id: &str,
    item_id: &str,
    output_index: i64,
    content_index: i64,
    schema: &'static str,
) {
    item_address(c, response_id, item_id, output_index, schema);
    index(c, "content_index", content_index, schema);
}

fn rate_limit(c: &mut Checker, limit: &RateLimit, schema: &'static str) {
    c.object(schema, &limit.extra);
    for (name, value) in [("limit", limit.limit), ("remaining", limit.remaining)] {
        if let Some(value) = value {
            index(c, name, value, schema);
        }
    }
    if let Some(seconds) = limit.reset_seconds {
        if seconds < 0.0 {
            c.report_member(
                "reset_seconds",
                Rule::NonNegative,
                schema,
                format!("`reset_seconds` is {seconds}; it cannot be negative"),
            );
        }
    }
    if let (Some(max), Some(remaining)) = (limit.limit, limit.remaining) {
        if remaining > max {
            c.report_member(
                "remaining",
                Rule::RateLimitRemaining,
                schema,
                format!("`remaining` is {remaining}, more than `limit` {max}"),
            );
        }
    }
}
