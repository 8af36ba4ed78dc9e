//! Property 9, Debug: the `Debug` text of an event carrying N bytes of audio
//! is bounded, for any N up to 1 MiB: at most [`AUDIO_DEBUG_BUDGET`] bytes
//! more than the same event without audio.

use proptest::option;
use proptest::prelude::*;
use realtime_harness::content::{AssistantContent, AssistantContentType, UserContent};
use realtime_harness::item::{AssistantMessage, MessageItem, UserMessage};
use realtime_harness::{Base64Audio, ClientEvent, ConversationItem};

use crate::audio::audio_payload;

/// What one audio payload may add to a `Debug` text.
const AUDIO_DEBUG_BUDGET: usize = 200;

fn debug_len(event: &ClientEvent) -> usize {
    format!("{event:?}").len()
}

fn user_audio(audio: Base64Audio) -> ClientEvent {
    let item = ConversationItem::Message(MessageItem::User(UserMessage {
        content: vec![UserContent {
            transcript: Some("hello".into()),
            ..UserContent::input_audio(audio)
        }],
        ..Default::default()
    }));
    ClientEvent::conversation_item_create(Some("evt_1".to_owned()), None, item)
}

fn assistant_audio(audio: Base64Audio) -> ClientEvent {
    let item = ConversationItem::Message(MessageItem::Assistant(AssistantMessage {
        content: vec![AssistantContent {
            r#type: Some(AssistantContentType::OutputAudio),
            audio: Some(audio),
            transcript: Some("hi".into()),
            ..Default::default()
        }],
        ..Default::default()
    }));
    ClientEvent::conversation_item_create(None, Some("item_0".to_owned()), item)
}

proptest! {
    #![proptest_config(suite_config!("debug"))]

    #[test]
    fn append_debug_is_bounded(payload in audio_payload(), event_id in option::of("[a-z0-9_]{0,32}")) {
        let event = ClientEvent::input_audio_buffer_append(event_id.clone(), payload.audio.as_str());
        let empty = ClientEvent::input_audio_buffer_append(event_id, "");
        let text = format!("{event:?}");
        prop_assert!(text.len() <= debug_len(&empty) + AUDIO_DEBUG_BUDGET, "{} bytes: {}", text.len(), text);
        prop_assert_eq!(payload.audio.len(), payload.raw_len.div_ceil(3) * 4);
        // It still says how much audio there is.
        prop_assert!(text.contains(&payload.audio.len().to_string()), "{}", text);
    }

    #[test]
    fn parsed_append_debug_is_bounded(payload in audio_payload()) {
        let frame = ClientEvent::input_audio_buffer_append(None, payload.audio.as_str()).to_vec();
        let event = ClientEvent::from_slice(&frame).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let empty = ClientEvent::input_audio_buffer_append(None, "");
        prop_assert!(debug_len(&event) <= debug_len(&empty) + AUDIO_DEBUG_BUDGET);
    }

    #[test]
    fn message_audio_debug_is_bounded(payload in audio_payload(), assistant in any::<bool>()) {
        let build = if assistant { assistant_audio } else { user_audio };
        let event = build(payload.audio.clone());
        let empty = build(Base64Audio::new(""));
        prop_assert!(debug_len(&event) <= debug_len(&empty) + AUDIO_DEBUG_BUDGET, "{:?}", event);
    }
}
