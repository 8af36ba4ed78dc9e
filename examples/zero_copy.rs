//! Read `input_audio_buffer.append` frames without copying their audio: `ClientEventRef`
//! borrows the base64 text from the input buffer and checks it in one vectorized pass.
//!
//!     cargo run --release --example zero_copy

use realtime_harness::{Base64Audio, ClientEventRef};

fn main() {
    // One second of 24 kHz 16-bit PCM silence, as a client would stream it.
    let pcm = vec![0u8; 48_000];
    let frame = format!(
        r#"{{"type":"input_audio_buffer.append","event_id":"evt_audio_1","audio":"{}"}}"#,
        Base64Audio::encode(&pcm).as_str()
    );
    let event = ClientEventRef::from_slice(frame.as_bytes()).expect("a valid frame");
    let audio = event.audio().expect("an append frame has audio");
    assert!(audio.is_borrowed(), "the audio points into `frame`");
    println!(
        "{} (event_id {:?}): {} bytes of base64, borrowed: {}",
        event.event_type(),
        event.event_id().as_deref(),
        audio.len(),
        audio.is_borrowed()
    );
    // Decode only when the PCM is needed; re-serializing writes the same bytes.
    assert_eq!(audio.decode().unwrap(), pcm);
    assert_eq!(event.to_vec(), frame.as_bytes());

    // Any other frame comes back in the owned model.
    let other = ClientEventRef::from_slice(br#"{"type":"input_audio_buffer.commit"}"#).unwrap();
    assert!(matches!(other, ClientEventRef::Other(_)));
    println!("{}: owned", other.event_type());
}
