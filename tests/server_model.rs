//! The server event family's API: size, tags, constructors, catch-all,
//! late `type`, and the shapes real servers send.

use realtime_harness::{RealtimeServerEvent, ServerEvent};

#[test]
fn every_ga_type_round_trips_its_name() {
    assert_eq!(RealtimeServerEvent::ALL.len(), 46);
    for ty in RealtimeServerEvent::ALL {
        assert_eq!(ty.as_str().parse::<RealtimeServerEvent>(), Ok(*ty));
    }
    let err = "response.creat".parse::<RealtimeServerEvent>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "`response.creat` is not a GA server event type"
    );
}

#[test]
fn server_event_stays_small() {
    let size = std::mem::size_of::<ServerEvent>();
    println!("size_of::<ServerEvent>() = {size}");
    assert!(size <= 224, "ServerEvent is {size} bytes");
}

#[test]
fn audio_delta_parses_with_type_last() {
    let frame = br#"{"event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"AAAA","type":"response.output_audio.delta"}"#;
    let event = ServerEvent::from_slice(frame).unwrap();
    assert_eq!(
        event.to_event_type(),
        Some(RealtimeServerEvent::ResponseOutputAudioDelta)
    );
    assert_eq!(event.event_id().as_deref(), Some("event_1"));
}

#[test]
fn dtmf_event_has_no_event_id() {
    let event = ServerEvent::from_slice(
        br#"{"type":"input_audio_buffer.dtmf_event_received","event":"5","received_at":1764000000}"#,
    )
    .unwrap();
    assert_eq!(event.event_id().as_deref(), None);
    assert_eq!(
        event,
        ServerEvent::input_audio_buffer_dtmf_event_received("5".into(), 1_764_000_000)
    );
}

#[test]
fn unknown_types_are_kept_whole() {
    let frame = r#"{"type":"response.future_thing","event_id":"event_9","x":[1,2]}"#;
    let event: ServerEvent = frame.parse().unwrap();
    assert_eq!(event.wire_type(), "response.future_thing");
    assert_eq!(event.event_id().as_deref(), Some("event_9"));
    assert_eq!(event.to_json(), frame);
}

#[test]
fn errors_name_the_path() {
    let err = ServerEvent::from_slice(
        br#"{"type":"response.output_audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":"0","content_index":0,"delta":"AAAA"}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("output_index: invalid type: string \"0\", expected i64"),
        "{err}"
    );
}

/// Found by `server_event_json_structured` (10-minute campaign): an `event_id`
/// on `input_audio_buffer.dtmf_event_received`, whose schema names none, is
/// kept as an unknown member, and `event_id()` still reports it, as it does
/// for the catch-all.
#[test]
fn an_unnamed_event_id_is_still_the_event_id() {
    let frame = br#"{"event":"","type":"input_audio_buffer.dtmf_event_received","received_at":1,"event_id":"event_7"}"#;
    let event = ServerEvent::from_slice(frame).unwrap();
    assert_eq!(event.event_id().as_deref(), Some("event_7"));
    assert_eq!(event.to_vec(), br#"{"type":"input_audio_buffer.dtmf_event_received","event":"","received_at":1,"event_id":"event_7"}"#);
}

#[test]
fn an_unnamed_event_id_with_escapes_is_decoded() {
    // `extra` keeps the member as written; `event_id()` answers with the
    // string the frame means, as a `serde_json::Value` reads it.
    let frame = br#"{"type":"input_audio_buffer.dtmf_event_received","event":"1","received_at":1,"event_id":"ev\u0065nt_\"7\""}"#;
    let event = ServerEvent::from_slice(frame).unwrap();
    assert_eq!(event.event_id().as_deref(), Some("event_\"7\""));
    assert_eq!(event.to_vec(), frame);
    let unpaired = br#"{"type":"input_audio_buffer.dtmf_event_received","event":"1","received_at":1,"event_id":"\ud800"}"#;
    assert_eq!(ServerEvent::from_slice(unpaired).unwrap().event_id(), None);
}
