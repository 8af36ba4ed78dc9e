//! Property 4, constructors: each constructor yields the variant holding
//! exactly its arguments (and no unknown members), and writes exactly the
//! frame those arguments describe.

use proptest::option;
use proptest::prelude::*;
use realtime_harness::{
    Base64Audio, ClientEvent, ConversationItem, ExtraMembers, RealtimeResponseCreateParams,
    SessionConfig,
};
use serde_json::{json, Map, Value};

use crate::audio::audio_payload;
use crate::bridge::arbitrary;
use crate::fidelity::frame_of;

fn event_id() -> impl Strategy<Value = Option<String>> {
    option::of(any::<String>())
}

/// The frame a constructor must write: `type`, then the given members,
/// leaving out the absent optional ones.
fn expected_frame(event_type: &str, members: &[(&str, Option<Value>)]) -> Value {
    let mut frame = Map::new();
    frame.insert("type".to_owned(), Value::from(event_type));
    for (name, value) in members {
        if let Some(value) = value {
            frame.insert((*name).to_owned(), value.clone());
        }
    }
    Value::Object(frame)
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("model values serialize")
}

proptest! {
    #![proptest_config(suite_config!("constructors"))]

    #[test]
    fn session_update(id in event_id(), session in arbitrary::<SessionConfig>()) {
        let event = ClientEvent::session_update(id.clone(), session.clone());
        prop_assert_eq!(&event, &ClientEvent::SessionUpdate {
            event_id: id.clone(),
            session: Box::new(session.clone()),
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(event.event_id(), id.as_deref());
        prop_assert_eq!(frame_of(&event), expected_frame("session.update", &[
            ("event_id", id.map(Value::from)),
            ("session", Some(to_value(&session))),
        ]));
    }

    #[test]
    fn conversation_item_create(
        id in event_id(),
        previous in option::of(any::<String>()),
        item in arbitrary::<ConversationItem>(),
    ) {
        let event = ClientEvent::conversation_item_create(id.clone(), previous.clone(), item.clone());
        prop_assert_eq!(&event, &ClientEvent::ConversationItemCreate {
            event_id: id.clone(),
            previous_item_id: previous.clone(),
            item: Box::new(item.clone()),
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(frame_of(&event), expected_frame("conversation.item.create", &[
            ("event_id", id.map(Value::from)),
            ("previous_item_id", previous.map(Value::from)),
            ("item", Some(to_value(&item))),
        ]));
    }

    #[test]
    fn conversation_item_delete(id in event_id(), item_id in any::<String>()) {
        let event = ClientEvent::conversation_item_delete(id.clone(), item_id.clone());
        prop_assert_eq!(&event, &ClientEvent::ConversationItemDelete {
            event_id: id.clone(),
            item_id: item_id.clone(),
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(frame_of(&event), expected_frame("conversation.item.delete", &[
            ("event_id", id.map(Value::from)),
            ("item_id", Some(Value::from(item_id))),
        ]));
    }

    #[test]
    fn conversation_item_retrieve(id in event_id(), item_id in any::<String>()) {
        let event = ClientEvent::conversation_item_retrieve(id.clone(), item_id.clone());
        prop_assert_eq!(&event, &ClientEvent::ConversationItemRetrieve {
            event_id: id.clone(),
            item_id: item_id.clone(),
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(frame_of(&event), expected_frame("conversation.item.retrieve", &[
            ("event_id", id.map(Value::from)),
            ("item_id", Some(Value::from(item_id))),
        ]));
    }

    #[test]
    fn conversation_item_truncate(
        id in event_id(),
        item_id in any::<String>(),
        content_index in any::<i64>(),
        audio_end_ms in any::<i64>(),
    ) {
        let event = ClientEvent::conversation_item_truncate(id.clone(), item_id.clone(), content_index, audio_end_ms);
        prop_assert_eq!(&event, &ClientEvent::ConversationItemTruncate {
            event_id: id.clone(),
            item_id: item_id.clone(),
            content_index,
            audio_end_ms,
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(frame_of(&event), expected_frame("conversation.item.truncate", &[
            ("event_id", id.map(Value::from)),
            ("item_id", Some(Value::from(item_id))),
            ("content_index", Some(Value::from(content_index))),
            ("audio_end_ms", Some(Value::from(audio_end_ms))),
        ]));
    }

    #[test]
    fn input_audio_buffer_append(id in event_id(), payload in audio_payload()) {
        let audio = payload.audio.as_str().to_owned();
        let event = ClientEvent::input_audio_buffer_append(id.clone(), audio.clone());
        prop_assert_eq!(&event, &ClientEvent::InputAudioBufferAppend {
            event_id: id.clone(),
            audio: Base64Audio::new(audio.clone()),
            extra: ExtraMembers::new(),
        });
        prop_assert!(frame_of(&event) == expected_frame("input_audio_buffer.append", &[
            ("event_id", id.map(Value::from)),
            ("audio", Some(Value::from(audio))),
        ]), "the frame is not type, event_id and audio");
    }

    #[test]
    fn input_audio_buffer_clear(id in event_id()) {
        let event = ClientEvent::input_audio_buffer_clear(id.clone());
        prop_assert_eq!(&event, &ClientEvent::InputAudioBufferClear { event_id: id.clone(), extra: ExtraMembers::new() });
        prop_assert_eq!(frame_of(&event), expected_frame("input_audio_buffer.clear", &[("event_id", id.map(Value::from))]));
    }

    #[test]
    fn input_audio_buffer_commit(id in event_id()) {
        let event = ClientEvent::input_audio_buffer_commit(id.clone());
        prop_assert_eq!(&event, &ClientEvent::InputAudioBufferCommit { event_id: id.clone(), extra: ExtraMembers::new() });
        prop_assert_eq!(frame_of(&event), expected_frame("input_audio_buffer.commit", &[("event_id", id.map(Value::from))]));
    }

    #[test]
    fn output_audio_buffer_clear(id in event_id()) {
        let event = ClientEvent::output_audio_buffer_clear(id.clone());
        prop_assert_eq!(&event, &ClientEvent::OutputAudioBufferClear { event_id: id.clone(), extra: ExtraMembers::new() });
        prop_assert_eq!(frame_of(&event), expected_frame("output_audio_buffer.clear", &[("event_id", id.map(Value::from))]));
    }

    #[test]
    fn response_cancel(id in event_id(), response_id in option::of(any::<String>())) {
        let event = ClientEvent::response_cancel(id.clone(), response_id.clone());
        prop_assert_eq!(&event, &ClientEvent::ResponseCancel {
            event_id: id.clone(),
            response_id: response_id.clone(),
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(frame_of(&event), expected_frame("response.cancel", &[
            ("event_id", id.map(Value::from)),
            ("response_id", response_id.map(Value::from)),
        ]));
    }

    #[test]
    fn response_create(
        id in event_id(),
        response in option::of(arbitrary::<RealtimeResponseCreateParams>()),
    ) {
        let event = ClientEvent::response_create(id.clone(), response.clone());
        prop_assert_eq!(&event, &ClientEvent::ResponseCreate {
            event_id: id.clone(),
            response: response.clone().map(Box::new),
            extra: ExtraMembers::new(),
        });
        prop_assert_eq!(frame_of(&event), expected_frame("response.create", &[
            ("event_id", id.map(Value::from)),
            ("response", response.as_ref().map(to_value)),
        ]));
    }
}

#[test]
fn absent_arguments_write_nothing() {
    assert_eq!(
        frame_of(&ClientEvent::response_create(None, None)),
        json!({"type": "response.create"})
    );
}
