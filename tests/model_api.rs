//! The public API: the seed crate's event API, sizes, Debug output.

use std::mem::size_of;

use realtime_harness::item::FunctionCallOutputItem;
use realtime_harness::{
    Base64Audio, ClientEvent, ConversationItem, RealtimeClientEvent, RealtimeResponseCreateParams,
    SessionConfig,
};

#[test]
fn client_event_is_no_larger_than_the_seed_crates() {
    assert!(
        size_of::<ClientEvent>() <= 224,
        "{} bytes",
        size_of::<ClientEvent>()
    );
}

#[test]
fn every_event_type_round_trips_through_its_name() {
    assert_eq!(RealtimeClientEvent::ALL.len(), 11);
    for t in RealtimeClientEvent::ALL {
        assert_eq!(t.as_str().parse::<RealtimeClientEvent>(), Ok(*t));
        assert_eq!(t.to_string(), t.as_str());
    }
    assert!("transcription_session.update"
        .parse::<RealtimeClientEvent>()
        .is_err());
}

#[test]
fn constructors_build_the_matching_variant_and_type() {
    let id = || Some("evt_1".to_owned());
    let events = [
        ClientEvent::session_update(id(), SessionConfig::Realtime(Box::default())),
        ClientEvent::conversation_item_create(
            id(),
            Some("root".into()),
            ConversationItem::user_text("hi"),
        ),
        ClientEvent::conversation_item_delete(id(), "item_1"),
        ClientEvent::conversation_item_retrieve(id(), "item_1"),
        ClientEvent::conversation_item_truncate(id(), "item_1", 0, 1500),
        ClientEvent::input_audio_buffer_append(id(), "AAAA"),
        ClientEvent::input_audio_buffer_clear(id()),
        ClientEvent::output_audio_buffer_clear(id()),
        ClientEvent::input_audio_buffer_commit(id()),
        ClientEvent::response_cancel(id(), Some("resp_1".into())),
        ClientEvent::response_create(id(), Some(RealtimeResponseCreateParams::default())),
    ];
    for (event, t) in events.iter().zip(RealtimeClientEvent::ALL) {
        assert_eq!(event.to_event_type(), Some(*t));
        assert_eq!(event.event_type(), t.as_str());
        assert_eq!(event.event_id().as_deref(), Some("evt_1"));
        let value: serde_json::Value = serde_json::from_slice(&event.to_vec()).unwrap();
        assert_eq!(value["type"], t.as_str());
        assert_eq!(&ClientEvent::from_slice(&event.to_vec()).unwrap(), event);
    }
    match &events[4] {
        ClientEvent::ConversationItemTruncate {
            item_id,
            content_index,
            audio_end_ms,
            ..
        } => {
            assert_eq!(
                (item_id.as_str(), *content_index, *audio_end_ms),
                ("item_1", 0, 1500)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn debug_never_prints_the_audio_payload() {
    let audio = Base64Audio::encode(&vec![0x5a; 2 * 1024 * 1024]);
    let event = ClientEvent::input_audio_buffer_append(Some("e".into()), audio.as_str());
    let text = format!("{event:?}");
    assert!(text.len() < 200, "{} bytes of Debug", text.len());
    assert!(text.contains(&audio.len().to_string()));

    let item = ConversationItem::FunctionCallOutput(FunctionCallOutputItem {
        call_id: "c".into(),
        output: "{}".into(),
        ..Default::default()
    });
    assert!(format!("{item:?}").contains("call_id"));
}
