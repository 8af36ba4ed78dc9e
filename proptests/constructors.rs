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

/// One property per constructor: called with an optional `event_id` and
/// the drawn arguments, it yields the variant holding exactly those (each
/// member as `=>` says before, with no unknown members) and writes `type`
/// and exactly the members `=>` says after (absent optional ones left out).
macro_rules! constructor_properties {
    ($(
        $ctor:ident ( $( $arg:ident in $strategy:expr ),* ) => $wire_type:literal, $variant:ident {
            $( $field:ident : $value:expr => $wire:expr ),* $(,)?
        }
    )*) => {
        proptest! {
            #![proptest_config(suite_config!("constructors"))]
            $(
                #[test]
                fn $ctor(id in event_id(), $( $arg in $strategy ),*) {
                    let event = ClientEvent::$ctor(id.clone(), $( $arg.clone() ),*);
                    prop_assert_eq!(&event, &ClientEvent::$variant {
                        event_id: id.clone(),
                        $( $field: $value, )*
                        extra: ExtraMembers::new(),
                    });
                    let event_id = event.event_id();
                    prop_assert_eq!(event_id.as_deref(), id.as_deref());
                    prop_assert_eq!(frame_of(&event), expected_frame($wire_type, &[
                        ("event_id", id.map(Value::from)),
                        $( (stringify!($field), $wire), )*
                    ]));
                }
            )*
        }
    };
}

constructor_properties! {
    session_update(session in arbitrary::<SessionConfig>()) => "session.update", SessionUpdate {
        session: Box::new(session.clone()) => Some(to_value(&session)),
    }
    conversation_item_create(
        previous in option::of(any::<String>()),
        item in arbitrary::<ConversationItem>()
    ) => "conversation.item.create", ConversationItemCreate {
        previous_item_id: previous.clone() => previous.map(Value::from),
        item: Box::new(item.clone()) => Some(to_value(&item)),
    }
    conversation_item_delete(item_id in any::<String>()) => "conversation.item.delete", ConversationItemDelete {
        item_id: item_id.clone() => Some(Value::from(item_id)),
    }
    conversation_item_retrieve(item_id in any::<String>()) => "conversation.item.retrieve", ConversationItemRetrieve {
        item_id: item_id.clone() => Some(Value::from(item_id)),
    }
    conversation_item_truncate(
        item_id in any::<String>(),
        content_index in any::<i64>(),
        audio_end_ms in any::<i64>()
    ) => "conversation.item.truncate", ConversationItemTruncate {
        item_id: item_id.clone() => Some(Value::from(item_id)),
        content_index: content_index => Some(Value::from(content_index)),
        audio_end_ms: audio_end_ms => Some(Value::from(audio_end_ms)),
    }
    input_audio_buffer_clear() => "input_audio_buffer.clear", InputAudioBufferClear {}
    input_audio_buffer_commit() => "input_audio_buffer.commit", InputAudioBufferCommit {}
    output_audio_buffer_clear() => "output_audio_buffer.clear", OutputAudioBufferClear {}
    response_cancel(response_id in option::of(any::<String>())) => "response.cancel", ResponseCancel {
        response_id: response_id.clone() => response_id.map(Value::from),
    }
    response_create(
        response in option::of(arbitrary::<RealtimeResponseCreateParams>())
    ) => "response.create", ResponseCreate {
        response: response.clone().map(Box::new) => response.as_ref().map(to_value),
    }
}

proptest! {
    #![proptest_config(suite_config!("constructors"))]

    /// The audio is large: the frame is compared without printing it.
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
}

#[test]
fn absent_arguments_write_nothing() {
    assert_eq!(
        frame_of(&ClientEvent::response_create(None, None)),
        json!({"type": "response.create"})
    );
}
