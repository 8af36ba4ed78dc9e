//! Event-level rules: the event type, `event_id`, and the members of the
//! events without nested objects.

use super::item::{self, Placement};
use super::values;
use super::{response, session, Checker, Rule};
use crate::{ClientEvent, RealtimeClientEvent};

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
                let hint = nearest_event_type(event_type)
                    .map(|near| format!("; did you mean `{near}`?"))
                    .unwrap_or_default();
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

/// The GA event type a mistyped `type` most likely meant: the nearest wire name by edit
/// distance, when it is a slip of a few characters (at most 3, and less than a third of the
/// name) rather than another word; the first in the list on a tie.
pub(crate) fn nearest_event_type(typed: &str) -> Option<&'static str> {
    let (distance, name) = RealtimeClientEvent::WIRE_NAMES
        .iter()
        .map(|name| (edit_distance(typed, name), *name))
        .min_by_key(|(d, _)| *d)?;
    (distance > 0 && distance <= 3 && distance * 3 < name.len()).then_some(name)
}

/// Levenshtein distance over characters (insert, delete, substitute, each 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_get_a_suggestion_and_other_words_do_not() {
        assert_eq!(
            nearest_event_type("response.creat"),
            Some("response.create")
        );
        assert_eq!(
            nearest_event_type("Response.Create"),
            Some("response.create")
        );
        assert_eq!(nearest_event_type("session_update"), Some("session.update"));
        assert_eq!(
            nearest_event_type("input_audio_buffer.apend"),
            Some("input_audio_buffer.append")
        );
        assert_eq!(
            nearest_event_type("response.create"),
            None,
            "exact: no hint"
        );
        assert_eq!(nearest_event_type("nonsense.event"), None);
        assert_eq!(nearest_event_type("x"), None);
        assert_eq!(nearest_event_type("transcription_session.update"), None);
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("response.creat", "response.create"), 1);
        assert_eq!(edit_distance("ü", "u"), 1);
    }
}
