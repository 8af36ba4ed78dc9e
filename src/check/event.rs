//! Event-level rules: the event type, `event_id`, and the members of the
//! events without nested objects.

use super::hint::type_hint;
use super::item::{self, Placement};
use super::values;
use super::{response, session, Checker, Rule};
use crate::events::Family;
use crate::ClientEvent;

/// The spec schema of an event (`RealtimeClientEvent` for unknown types).
pub(super) fn event_schema(event: &ClientEvent) -> &'static str {
    match event {
        ClientEvent::SessionUpdate { .. } => "RealtimeClientEventSessionUpdate",
        ClientEvent::ConversationItemCreate { .. } => "RealtimeClientEventConversationItemCreate",
        ClientEvent::ConversationItemDelete { .. } => "RealtimeClientEventConversationItemDelete",
        ClientEvent::ConversationItemRetrieve { .. } => {
            "RealtimeClientEventConversationItemRetrieve"
        }
        ClientEvent::ConversationItemTruncate { .. } => {
            "RealtimeClientEventConversationItemTruncate"
        }
        ClientEvent::InputAudioBufferAppend { .. } => "RealtimeClientEventInputAudioBufferAppend",
        ClientEvent::InputAudioBufferClear { .. } => "RealtimeClientEventInputAudioBufferClear",
        ClientEvent::InputAudioBufferCommit { .. } => "RealtimeClientEventInputAudioBufferCommit",
        ClientEvent::OutputAudioBufferClear { .. } => "RealtimeClientEventOutputAudioBufferClear",
        ClientEvent::ResponseCancel { .. } => "RealtimeClientEventResponseCancel",
        ClientEvent::ResponseCreate { .. } => "RealtimeClientEventResponseCreate",
        ClientEvent::Unknown { event_type, .. } if event_type == BETA_TRANSCRIPTION_UPDATE => {
            "RealtimeClientEventTranscriptionSessionUpdate"
        }
        ClientEvent::Unknown { .. } => "RealtimeClientEvent",
    }
}

/// The one beta-era client event type that is not also a GA type.
const BETA_TRANSCRIPTION_UPDATE: &str = "transcription_session.update";

pub(super) fn event(c: &mut Checker, event: &ClientEvent) {
    let schema = event_schema(event);
    match event {
        ClientEvent::SessionUpdate {
            event_id,
            session,
            extra,
        } => {
            c.object(schema, extra);
            values::event_id(c, event_id, schema);
            c.member("session", |c| session::session(c, session));
        }
        ClientEvent::ConversationItemCreate {
            event_id,
            previous_item_id: _,
            item,
            extra,
        } => {
            c.object(schema, extra);
            values::event_id(c, event_id, schema);
            c.member("item", |c| item::item(c, item, Placement::ItemCreate));
        }
        ClientEvent::ConversationItemDelete {
            event_id,
            item_id: _,
            extra,
        }
        | ClientEvent::ConversationItemRetrieve {
            event_id,
            item_id: _,
            extra,
        }
        | ClientEvent::ResponseCancel {
            event_id,
            response_id: _,
            extra,
        }
        | ClientEvent::InputAudioBufferClear { event_id, extra }
        | ClientEvent::InputAudioBufferCommit { event_id, extra } => {
            c.object(schema, extra);
            values::event_id(c, event_id, schema);
        }
        ClientEvent::OutputAudioBufferClear { event_id: _, extra } => {
            // The one event whose `event_id` the spec gives no maxLength.
            c.object(schema, extra);
        }
        ClientEvent::ConversationItemTruncate {
            event_id,
            item_id: _,
            content_index,
            audio_end_ms,
            extra,
        } => {
            c.object(schema, extra);
            values::event_id(c, event_id, schema);
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
        ClientEvent::InputAudioBufferAppend {
            event_id,
            audio,
            extra,
        } => {
            c.object(schema, extra);
            values::event_id(c, event_id, schema);
            values::audio(c, "audio", audio, schema);
        }
        ClientEvent::ResponseCreate {
            event_id,
            response,
            extra,
        } => {
            c.object(schema, extra);
            values::event_id(c, event_id, schema);
            if let Some(response) = response {
                c.member("response", |c| response::params(c, response));
            }
        }
        ClientEvent::Unknown {
            event_type,
            members: _,
        } => {
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
    }
}
