//! Build client events with the constructors and the `Default` of the session types, then
//! serialize them for the wire.
//!
//!     cargo run --example build

use realtime_harness::check::validate;
use realtime_harness::session::{AudioInput, AudioOutput, RealtimeAudioConfig};
use realtime_harness::{
    AudioFormat, ClientEvent, ConversationItem, RealtimeResponseCreateParams,
    RealtimeSessionConfig, SessionConfig, Voice,
};

fn main() {
    let session = RealtimeSessionConfig {
        instructions: Some("You are a helpful, concise assistant.".to_owned()),
        audio: Some(RealtimeAudioConfig {
            input: Some(AudioInput {
                format: Some(AudioFormat::pcm()),
                ..Default::default()
            }),
            output: Some(AudioOutput {
                format: Some(AudioFormat::pcm()),
                voice: Some(Voice::named("marin")),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let events = [
        ClientEvent::session_update(
            Some("evt_session".to_owned()),
            SessionConfig::Realtime(Box::new(session)),
        ),
        ClientEvent::conversation_item_create(
            Some("evt_item".to_owned()),
            None,
            ConversationItem::user_text("What is the weather like on Mars?"),
        ),
        ClientEvent::response_create(
            Some("evt_response".to_owned()),
            Some(RealtimeResponseCreateParams {
                conversation: Some("none".to_owned()),
                input: Some(vec![ConversationItem::reference("item_earlier")]),
                ..Default::default()
            }),
        ),
        ClientEvent::input_audio_buffer_commit(None),
    ];
    for event in &events {
        // What the checker says before the frame goes out: nothing, for these.
        let report = validate(event);
        assert!(report.is_empty(), "{:?}", report.findings);
        println!("{}", event.to_json());
    }
}
