//! Parse client event frames with the owned model, read what they hold, and see what an
//! error says when a frame is wrong.
//!
//!     cargo run --example parse

use realtime_harness::{ClientEvent, RealtimeClientEvent};

fn main() {
    let frames: [&[u8]; 4] = [
        br#"{"type":"session.update","event_id":"evt_1","session":{"type":"realtime","instructions":"Answer briefly.","audio":{"input":{"turn_detection":null}}}}"#,
        br#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello"}]}}"#,
        // A beta-era event: not one of the eleven GA types, kept whole.
        br#"{"type":"transcription_session.update","session":{"input_audio_format":"pcm16"}}"#,
        // Wrong: `rate` is a number.
        br#"{"type":"session.update","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcm","rate":"24k"}}}}}"#,
    ];
    for frame in frames {
        match ClientEvent::from_slice(frame) {
            Ok(event) => {
                println!(
                    "{} (event_id {:?}): GA type {:?}",
                    event.wire_type(),
                    event.event_id().as_deref(),
                    event.to_event_type()
                );
                // Nothing is dropped or injected: the frame re-serializes to the same JSON.
                let again: serde_json::Value = serde_json::from_slice(&event.to_vec()).unwrap();
                let original: serde_json::Value = serde_json::from_slice(frame).unwrap();
                assert_eq!(again, original);
            }
            // The error names the member by its JSON path, what was expected, and where.
            Err(err) => println!("error: {err}"),
        }
    }

    let event = ClientEvent::from_slice(frames[0]).unwrap();
    assert_eq!(
        event.to_event_type(),
        Some(RealtimeClientEvent::SessionUpdate)
    );
    let err = ClientEvent::from_slice(frames[3]).unwrap_err();
    assert_eq!(err.path(), "session.audio.input.format.rate");
}
