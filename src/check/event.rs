//! Event-level rules: the event type, `event_id`, and the members of the
//! events without nested objects.

use super::hint::type_hint;
use super::item::{self, Placement};
use super::values;
use super::{response, session, Checker, Rule};
use crate::events::Family;
use crate::{ClientEvent, RealtimeClientEvent};

/// The spec schema of an event (`RealtimeClientEvent` for unknown types).
pub(super) fn event_schema(event: &ClientEvent) -> &'static str {
    match event {
        ClientEvent::Unknown { event_type, .. } if event_type == BETA_TRANSCRIPTION_UPDATE => {
            "RealtimeClientEventTranscriptionSessionUpdate"
        }
        known => known
            .to_event_type()
            .map_or("RealtimeClientEvent", RealtimeClientEvent::schema),
    }
}

/// The one beta-era client event type that is not also a GA type.
const BETA_TRANSCRIPTION_UPDATE: &str = "transcription_session.update";

pub(super) fn event(c: &mut Checker, event: &ClientEvent) {
    let schema = event_schema(event);
    let ClientEvent::Unknown { event_type, .. } = event else {
        // Every known event: its unknown members, its `event_id`, then the
        // members with rules of their own.
        c.object(schema, event.extra().expect("known events have extra"));
        // `output_audio_buffer.clear` is the one event whose `event_id` the
        // spec gives no maxLength.
        if !matches!(event, ClientEvent::OutputAudioBufferClear { .. }) {
            values::event_id(c, event.event_id().as_deref(), schema);
        }
        members(c, event, schema);
        return;
    };
    c.closed(schema);
    if event_type == BETA_TRANSCRIPTION_UPDATE {
        // The spec keeps its schema, outside the GA union: a tolerated
        // legacy shape, labelled rather than failed.
        c.report_member(
            "type",
            Rule::BetaEventType,
            schema,
            format!(
                "`{event_type}` is a beta-era event, not one of the GA client events \
                 (GA: `session.update` with a `transcription` session)"
            ),
        );
    } else {
        let hint = type_hint(event_type, Family::Client);
        c.report_member(
            "type",
            Rule::UnknownEventType,
            schema,
            format!("`{event_type}` is not a GA client event type{hint}"),
        );
    }
}

/// The members of a known event that have rules of their own (ids and
/// unknown members are judged in [`event`]).
fn members(c: &mut Checker, event: &ClientEvent, schema: &'static str) {
    match event {
        ClientEvent::SessionUpdate { session, .. } => {
            c.member("session", |c| session::session(c, session));
        }
        ClientEvent::ConversationItemCreate { item, .. } => {
            c.member("item", |c| item::item(c, item, Placement::ItemCreate));
        }
        ClientEvent::ConversationItemTruncate {
            content_index,
            audio_end_ms,
            ..
        } => {
            if *content_index < 0 {
                c.report_member(
                    "content_index",
                    Rule::NonNegative,
                    schema,
                    format!("`content_index` is {content_index}; an index is not negative"),
                );
            } else if *content_index != 0 {
                c.report_member(
                    "content_index",
                    Rule::ContentIndexZero,
                    schema,
                    format!("`content_index` is {content_index}; the spec says to set it to 0"),
                );
            }
            if *audio_end_ms < 0 {
                c.report_member(
                    "audio_end_ms",
                    Rule::NonNegative,
                    schema,
                    format!("`audio_end_ms` is {audio_end_ms}; a duration is not negative"),
                );
            }
        }
        ClientEvent::InputAudioBufferAppend { audio, .. } => {
            values::audio(c, "audio", audio, schema);
        }
        ClientEvent::ResponseCreate {
            response: Some(response),
            ..
        } => {
            c.member("response", |c| response::params(c, response));
        }
        // No member of these has a rule beyond its id.
        ClientEvent::ConversationItemDelete { .. }
        | ClientEvent::ConversationItemRetrieve { .. }
        | ClientEvent::InputAudioBufferClear { .. }
        | ClientEvent::InputAudioBufferCommit { .. }
        | ClientEvent::OutputAudioBufferClear { .. }
        | ClientEvent::ResponseCancel { .. }
        | ClientEvent::ResponseCreate { response: None, .. }
        | ClientEvent::Unknown { .. } => {}
    }
}
