//! Server events (`RealtimeServerEvent`): ids, indexes, the server's
//! session, rate limits, audio deltas, and the items, responses and sessions
//! they carry (judged by the rules both directions share; the response
//! resource and usage have files of their own).

use super::item::{self, Placement};
use super::response::{resource, Lifecycle};
use super::usage::transcription_tokens;
use super::values::id_rule;
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
                super::hint::type_hint(event_type, crate::events::Family::Server)
            ),
        ),
    }
}

/// The members of a known event. Ids and indexes are checked by name, so
/// that one list serves all 46 events; the members with nested types get
/// their own rules.
fn members(c: &mut Checker, event: &ServerEvent, schema: &'static str) {
    use ServerEvent as E;
    for member in event.members() {
        let name = member.name;
        match name {
            "event_id" | "response_id" | "item_id" | "call_id" => {
                let prefix = match name {
                    "event_id" => "event_",
                    "response_id" => "resp_",
                    _ => "",
                };
                if let Some(id) = member.text() {
                    id_rule(c, name, id, prefix, schema);
                }
            }
            "output_index" | "content_index" | "audio_start_ms" | "audio_end_ms"
            | "received_at" => {
                if let Some(value) = member.integer() {
                    index(c, name, value, schema);
                }
            }
            _ => {}
        }
    }
    match event {
        E::SessionCreated { session, .. } | E::SessionUpdated { session, .. } => {
            c.member("session", |c| session::session(c, session));
        }
        E::ConversationItemCreated { item, .. }
        | E::ConversationItemAdded { item, .. }
        | E::ConversationItemDone { item, .. }
        | E::ConversationItemRetrieved { item, .. }
        | E::ResponseOutputItemAdded { item, .. }
        | E::ResponseOutputItemDone { item, .. } => {
            c.member("item", |c| item::item(c, item, Placement::Server));
        }
        E::ResponseCreated { response, .. } => {
            c.member("response", |c| resource(c, response, Lifecycle::Created));
        }
        E::ResponseDone { response, .. } => {
            c.member("response", |c| resource(c, response, Lifecycle::Done));
        }
        E::ResponseOutputAudioDelta { delta, .. } => values::audio(c, "delta", delta, schema),
        E::ResponseContentPartAdded { part, .. } | E::ResponseContentPartDone { part, .. } => {
            c.member("part", |c| {
                c.object(schema, &part.extra);
                if let Some(audio) = &part.audio {
                    values::audio(c, "audio", audio, schema);
                }
            });
        }
        E::ResponseFunctionCallArgumentsDone { arguments, .. }
        | E::ResponseMcpCallArgumentsDone { arguments, .. } => {
            values::json_string(c, "arguments", arguments, schema);
        }
        E::ConversationItemInputAudioTranscriptionCompleted {
            usage: TranscriptionUsage::Tokens(tokens),
            ..
        } => c.member("usage", |c| transcription_tokens(c, tokens, schema)),
        E::RateLimitsUpdated { rate_limits, .. } => {
            c.items("rate_limits", rate_limits, |c, limit| {
                rate_limit(c, limit, schema)
            });
        }
        E::ConversationCreated { conversation, .. } => {
            c.member("conversation", |c| c.object(schema, &conversation.extra));
        }
        E::Error { error, .. } => c.member("error", |c| c.object(schema, &error.extra)),
        _ => {}
    }
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
