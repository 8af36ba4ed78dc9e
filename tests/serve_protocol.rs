//! `serve` over a real WebSocket on 127.0.0.1: the session, the input
//! buffer and VAD, items, responses, errors for every invalid frame of the
//! corpus, the handshake's 401, the client report, and the command line.
//!
//!     cargo test --test serve_protocol

mod serve_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use futures_util::{SinkExt, StreamExt};
use realtime_harness::protocol::{FindingRule, ProtocolRule};
use realtime_harness::serve::Config;
use realtime_harness::ServerEvent;
use serde_json::{json, Value};
use serve_support::{b64, json, pcm, types, Client, TestServer};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// A server at `speed` and a client that has read `session.created`.
async fn session_at(speed: f64) -> (TestServer, Client) {
    let server = TestServer::fast(speed).await;
    let client = Client::session(&server.url).await;
    (server, client)
}

/// Sends `frame`, which the server must refuse; returns the `error`'s
/// `error` member.
async fn refusal(client: &mut Client, frame: Value) -> Value {
    client.send(frame).await;
    client.error().await
}

/// Sends `frame`, which has an `event_id`; the server must refuse it with
/// an `error` whose `field` is `value` and which echoes that `event_id`.
async fn assert_refused(client: &mut Client, frame: Value, (field, value): (&str, &str)) {
    let event_id = frame["event_id"].as_str().expect("an event_id").to_owned();
    let error = refusal(client, frame).await;
    assert_eq!(
        (error[field].as_str(), error["event_id"].as_str()),
        (Some(value), Some(event_id.as_str()))
    );
}

/// Sends `frame` (a `session.update`) and reads up to `session.updated`,
/// which it returns as JSON.
async fn update_session(client: &mut Client, frame: Value) -> Value {
    client.send(frame).await;
    json(&client.until("session.updated").await.0)
}

#[tokio::test]
async fn session_created_first_with_a_complete_session() {
    let server = TestServer::fast(1000.0).await;
    let mut client = Client::connect(&format!("{}?model=gpt-realtime-mini", server.url)).await;
    let created = json(&client.next().await);
    assert_eq!(created["type"], "session.created");
    let session = &created["session"];
    assert_eq!(session["type"], "realtime");
    assert_eq!(session["object"], "realtime.session");
    assert!(session["id"].as_str().unwrap().starts_with("sess_"));
    assert!(session["expires_at"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(session["model"], "gpt-realtime-mini");
    assert_eq!(
        session["audio"]["input"]["format"],
        json!({"type": "audio/pcm", "rate": 24000})
    );
    assert_eq!(
        session["audio"]["input"]["turn_detection"]["type"],
        "server_vad"
    );
    assert_eq!(session["audio"]["output"]["voice"], "marin");

    let mut transcription = Client::connect(&format!("{}?intent=transcription", server.url)).await;
    let created = json(&transcription.next().await);
    assert_eq!(created["session"]["type"], "transcription");
    server.stop().await;
}

#[tokio::test]
async fn session_update_merges_or_errors_without_change() {
    let (server, mut client) = session_at(1000.0).await;
    let updated = update_session(
        &mut client,
        json!({"type": "session.update", "event_id": "evt_u1", "session": {
            "type": "realtime", "instructions": "Be brief.",
            "audio": {"output": {"format": {"type": "audio/pcmu"}}}}}),
    )
    .await;
    let session = &updated["session"];
    assert_eq!(session["instructions"], "Be brief.");
    assert_eq!(
        session["audio"]["output"]["format"],
        json!({"type": "audio/pcmu"})
    );
    assert_eq!(
        session["audio"]["input"]["format"]["type"], "audio/pcm",
        "input untouched"
    );

    // An unknown parameter: refused, naming it.
    let error = refusal(
        &mut client,
        json!({"type": "session.update", "event_id": "evt_u2", "session": {
            "type": "realtime", "instructions": "Changed?", "temperature": 0.7}}),
    )
    .await;
    assert_eq!(error["type"], "invalid_request_error");
    assert_eq!(error["code"], "unknown_parameter");
    assert_eq!(error["param"], "session.temperature");
    assert_eq!(error["event_id"], "evt_u2");
    // A value out of range, found by the checker.
    let error = refusal(
        &mut client,
        json!({"type": "session.update", "event_id": "evt_u3", "session": {
            "type": "realtime", "audio": {"output": {"speed": 3}}}}),
    )
    .await;
    assert_eq!(error["code"], "invalid_value");
    assert_eq!(error["param"], "session.audio.output.speed");
    assert_eq!(error["event_id"], "evt_u3");
    // Changing the session type.
    let error = refusal(&mut client, json!({"type": "session.update", "event_id": "evt_u4", "session": {"type": "transcription"}})).await;
    assert_eq!(error["param"], "session.type");
    // Nothing changed: an empty update echoes the same session.
    let again = update_session(
        &mut client,
        json!({"type": "session.update", "session": {"type": "realtime"}}),
    )
    .await;
    assert_eq!(again["session"], updated["session"]);
    server.stop().await;
}

/// The `event_id` a test expects echoed: the frame's, when it is a JSON
/// object whose `event_id` is a string.
fn frame_event_id(bytes: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    value.get("event_id")?.as_str().map(str::to_owned)
}

#[tokio::test]
async fn every_invalid_corpus_frame_gets_an_error_and_the_connection_stays_open() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/invalid");
    let mut frames: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "txt"))
        .collect();
    frames.sort();
    assert!(frames.len() >= 70, "{} frames", frames.len());
    let (server, mut client) = session_at(1000.0).await;
    let mut echoed = 0;
    for path in &frames {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        client.send_text(text).await;
        let event = client.next().await;
        let event = json(&event);
        assert_eq!(event["type"], "error", "{}: {event}", path.display());
        let error = &event["error"];
        assert_eq!(error["type"], "invalid_request_error", "{}", path.display());
        assert!(error["code"].is_string(), "{}: {error}", path.display());
        assert!(!error["message"].as_str().unwrap().is_empty());
        match frame_event_id(&bytes) {
            Some(id) => {
                assert_eq!(error["event_id"], id.as_str(), "{}", path.display());
                echoed += 1;
            }
            None => assert_eq!(error["event_id"], Value::Null, "{}", path.display()),
        }
    }
    // The corpus has five frames with a string `event_id`; the rest must get `null`.
    assert!(echoed >= 5, "only {echoed} frames had an event_id");
    // Binary, unknown type, and the connection still answers.
    client
        .ws
        .send(tokio_tungstenite::tungstenite::Message::binary(vec![
            1, 2, 3,
        ]))
        .await
        .unwrap();
    assert_eq!(client.error().await["code"], "invalid_frame_type");
    assert_refused(
        &mut client,
        json!({"type": "response.make", "event_id": "evt_x"}),
        ("param", "type"),
    )
    .await;
    client
        .send(json!({"type": "conversation.item.create", "event_id": "evt_ok",
            "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}}))
        .await;
    assert_eq!(client.next().await.wire_type(), "conversation.item.added");
    drop(client);
    let report = server.report(1).await;
    let parse_errors = report
        .findings
        .iter()
        .filter(|f| f.rule == FindingRule::Protocol(ProtocolRule::ParseError))
        .count();
    assert_eq!(parse_errors, frames.len(), "every corpus frame is reported");
    server.stop().await;
}

#[tokio::test]
async fn oversize_frames_get_an_error_with_their_event_id() {
    let server = TestServer::start(Config {
        speed: 1000.0,
        max_frame_bytes: 4096,
        ..Config::default()
    })
    .await;
    let mut client = Client::session(&server.url).await;
    let audio = b64(&pcm(100, 0.1));
    assert_refused(
        &mut client,
        json!({"type": "input_audio_buffer.append", "event_id": "evt_big", "audio": audio}),
        ("code", "frame_too_large"),
    )
    .await;
    client
        .send(json!({"type": "input_audio_buffer.clear", "event_id": "evt_after"}))
        .await;
    assert_eq!(
        client.next().await.wire_type(),
        "input_audio_buffer.cleared"
    );
    // Over twice the limit the frame is not even read: close code 1009.
    client.send_text("x".repeat(9000)).await;
    match client.read().await {
        serve_support::Read::Closed(code) => assert_eq!(code, Some(1009)),
        other => panic!("expected close 1009, got {other:?}"),
    }
    server.stop().await;
}

/// The events of one response, `response.created` to `response.done`.
async fn response_events(client: &mut Client) -> Vec<ServerEvent> {
    let (created, _) = client.until("response.created").await;
    let (done, between) = client.until("response.done").await;
    let mut events = vec![created];
    events.extend(between);
    events.push(done);
    events
}

/// The events of one response as JSON.
async fn response_values(client: &mut Client) -> Vec<Value> {
    response_events(client).await.iter().map(json).collect()
}

/// The `delta`s of the events of `wire_type`, joined.
fn deltas(events: &[Value], wire_type: &str) -> String {
    events
        .iter()
        .filter(|v| v["type"] == wire_type)
        .map(|v| v["delta"].as_str().unwrap())
        .collect()
}

/// Reads up to `response.done`, which must say the response was cancelled
/// for `reason`; returns it as JSON and the events before it.
async fn until_cancelled(client: &mut Client, reason: &str) -> (Value, Vec<ServerEvent>) {
    let (done, before) = client.until("response.done").await;
    let done = json(&done);
    assert_eq!(done["response"]["status"], "cancelled");
    assert_eq!(done["response"]["status_details"]["reason"], reason);
    (done, before)
}

#[tokio::test]
async fn a_text_turn_follows_the_spec_order() {
    let (server, mut client) = session_at(1000.0).await;
    client
        .send(json!({"type": "conversation.item.create", "event_id": "evt_1",
            "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "What is the capital of France?"}]}}))
        .await;
    let added = json(&client.until("conversation.item.added").await.0);
    assert_eq!(added["previous_item_id"], Value::Null);
    let user_id = added["item"]["id"].as_str().unwrap().to_owned();
    client
        .send(json!({"type": "response.create", "event_id": "evt_2", "response": {"output_modalities": ["text"]}}))
        .await;
    let events = response_events(&mut client).await;
    let kinds = types(&events);
    let text_deltas = kinds
        .iter()
        .filter(|k| *k == "response.output_text.delta")
        .count();
    assert!(text_deltas >= 2, "{kinds:?}");
    let mut expected = vec![
        "response.created",
        "rate_limits.updated",
        "response.output_item.added",
        "conversation.item.added",
        "response.content_part.added",
    ];
    expected.extend(std::iter::repeat_n(
        "response.output_text.delta",
        text_deltas,
    ));
    expected.extend([
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "conversation.item.done",
        "response.done",
    ]);
    assert_eq!(kinds, expected);
    let values: Vec<Value> = events.iter().map(json).collect();
    let text = deltas(&values, "response.output_text.delta");
    assert_eq!(text, "You said: What is the capital of France?");
    let done = &values.last().unwrap()["response"];
    assert_eq!(done["status"], "completed");
    assert_eq!(done["output"][0]["content"][0]["text"], text.as_str());
    assert!(done["usage"]["total_tokens"].as_i64().unwrap() > 0);
    assert_eq!(values[3]["previous_item_id"], user_id.as_str());
    // Every delta names the item and response announced before it.
    let response_id = &values[0]["response"]["id"];
    let item_id = &values[2]["item"]["id"];
    for v in &values[4..values.len() - 1] {
        if v.get("response_id").is_some() {
            assert_eq!(&v["response_id"], response_id);
        }
        if v.get("item_id").is_some() {
            assert_eq!(&v["item_id"], item_id);
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn audio_responses_stream_in_the_output_format_and_truncate_checks_the_audio() {
    let (server, mut client) = session_at(1000.0).await;
    update_session(
        &mut client,
        json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"output": {"format": {"type": "audio/pcma"}}}}}),
    )
    .await;
    client.say("say four words").await;
    let user_item = json(&client.until("conversation.item.added").await.0)["item"]["id"].clone();
    client.send(json!({"type": "response.create"})).await;
    let events = response_values(&mut client).await;
    let audio_bytes: usize = events
        .iter()
        .filter(|v| v["type"] == "response.output_audio.delta")
        .map(|v| {
            realtime_harness::Base64Audio::new(v["delta"].as_str().unwrap())
                .decode()
                .unwrap()
                .len()
        })
        .sum();
    // "You said: say four words" is 5 words, 300 ms each, at 8 bytes/ms of G.711.
    assert_eq!(audio_bytes, 5 * 300 * 8);
    let transcript = deltas(&events, "response.output_audio_transcript.delta");
    assert_eq!(transcript, "You said: say four words");
    let done = &events.last().unwrap()["response"];
    assert_eq!(done["audio"]["output"]["format"]["type"], "audio/pcma");
    let item_id = done["output"][0]["id"].as_str().unwrap().to_owned();

    let truncate = |id: &Value, ms: i64, eid: &str| json!({"type": "conversation.item.truncate", "event_id": eid, "item_id": id, "content_index": 0, "audio_end_ms": ms});
    assert_refused(
        &mut client,
        truncate(&json!(item_id), 1501, "evt_t1"),
        ("param", "audio_end_ms"),
    )
    .await;
    let error = refusal(&mut client, truncate(&user_item, 10, "evt_t2")).await;
    assert_eq!(error["param"], "content_index");
    let error = refusal(&mut client, truncate(&json!("item_missing"), 10, "evt_t3")).await;
    assert_eq!(error["code"], "item_not_found");
    client.send(truncate(&json!(item_id), 700, "evt_t4")).await;
    let truncated = json(&client.next().await);
    assert_eq!(truncated["type"], "conversation.item.truncated");
    assert_eq!(truncated["audio_end_ms"], 700);
    // The item now holds 700 ms: retrieving it gives exactly that much audio.
    client
        .send(json!({"type": "conversation.item.retrieve", "item_id": item_id}))
        .await;
    let retrieved = json(&client.next().await);
    let audio = retrieved["item"]["content"][0]["audio"].as_str().unwrap();
    assert_eq!(
        realtime_harness::Base64Audio::new(audio)
            .decode()
            .unwrap()
            .len(),
        700 * 8
    );
    let error = refusal(&mut client, truncate(&json!(item_id), 701, "evt_t5")).await;
    assert_eq!(error["param"], "audio_end_ms");
    drop(client);
    assert_eq!(
        server.rules(1).await,
        [
            "truncate-beyond-audio",
            "truncate-not-assistant-audio",
            "item-not-found",
            "truncate-beyond-audio"
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn one_active_response_and_cancel() {
    // Real time: the response is still streaming when the client acts.
    let (server, mut client) = session_at(1.0).await;
    assert_refused(
        &mut client,
        json!({"type": "response.cancel", "event_id": "evt_c0"}),
        ("code", "response_cancel_not_active"),
    )
    .await;
    client
        .say("tell me a long story about the sea and the stars")
        .await;
    client.until("conversation.item.done").await;
    client
        .send(json!({"type": "response.create", "event_id": "evt_r1"}))
        .await;
    client.until("response.output_audio.delta").await;
    client
        .send(json!({"type": "response.create", "event_id": "evt_r2"}))
        .await;
    let (error, _) = client.until("error").await;
    let error = json(&error)["error"].clone();
    assert_eq!(error["code"], "conversation_already_has_active_response");
    assert_eq!(error["event_id"], "evt_r2");
    client
        .send(json!({"type": "response.cancel", "event_id": "evt_c1"}))
        .await;
    let (done, before) = until_cancelled(&mut client, "client_cancelled").await;
    assert_eq!(done["response"]["output"][0]["status"], "incomplete");
    let kinds = types(&before);
    let tail: Vec<_> = kinds.iter().rev().take(5).rev().cloned().collect();
    assert_eq!(
        tail,
        [
            "response.output_audio.done",
            "response.output_audio_transcript.done",
            "response.content_part.done",
            "response.output_item.done",
            "conversation.item.done"
        ]
    );
    // The partial item stays, with the audio sent before the cancel.
    let item_id = done["response"]["output"][0]["id"].clone();
    client
        .send(json!({"type": "conversation.item.retrieve", "item_id": item_id}))
        .await;
    let retrieved = json(&client.until("conversation.item.retrieved").await.0);
    assert_eq!(retrieved["item"]["status"], "incomplete");
    // Nothing left to cancel.
    client
        .send(json!({"type": "response.cancel", "event_id": "evt_c2"}))
        .await;
    assert_eq!(client.until("error").await.0.wire_type(), "error");
    drop(client);
    assert_eq!(
        server.rules(1).await,
        [
            "cancel-without-response",
            "response-while-active",
            "cancel-without-response"
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_function_call_round_trip() {
    let (server, mut client) = session_at(1000.0).await;
    update_session(&mut client, json!({"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"],
            "tools": [{"type": "function", "name": "get_weather", "description": "Weather for a city",
                "parameters": {"type": "object", "properties": {
                    "city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                    "required": ["city"]}}],
            "tool_choice": "auto"}})).await;
    client.say("Use get_weather for Paris").await;
    client.send(json!({"type": "response.create"})).await;
    let events = response_values(&mut client).await;
    let args_done = events
        .iter()
        .find(|v| v["type"] == "response.function_call_arguments.done")
        .expect("a function call");
    assert_eq!(args_done["name"], "get_weather");
    let deltas = deltas(&events, "response.function_call_arguments.delta");
    assert_eq!(deltas, args_done["arguments"].as_str().unwrap());
    let arguments: Value = serde_json::from_str(&deltas).unwrap();
    assert_eq!(arguments, json!({"city": "Paris", "unit": "celsius"}));
    let call = &events.last().unwrap()["response"]["output"][0];
    assert_eq!(call["type"], "function_call");
    let call_id = call["call_id"].clone();
    client
        .send(json!({"type": "conversation.item.create",
            "item": {"type": "function_call_output", "call_id": call_id, "output": "{\"temp\":21}"}}))
        .await;
    client.send(json!({"type": "response.create"})).await;
    let events = response_values(&mut client).await;
    let done = &events.last().unwrap()["response"];
    assert_eq!(
        done["output"][0]["content"][0]["text"],
        "The function returned {\"temp\":21}."
    );
    server.stop().await;
}

#[tokio::test]
async fn audio_appended_then_committed_and_the_empty_commit() {
    let (server, mut client) = session_at(1000.0).await;
    let updated = update_session(&mut client, json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"input": {"turn_detection": null, "transcription": {"model": "gpt-4o-transcribe"}}}}})).await;
    assert_eq!(
        updated["session"]["audio"]["input"]["turn_detection"],
        Value::Null
    );
    let error = refusal(
        &mut client,
        json!({"type": "input_audio_buffer.commit", "event_id": "evt_empty"}),
    )
    .await;
    assert_eq!(error["code"], "input_audio_buffer_commit_empty");
    assert_eq!(error["event_id"], "evt_empty");
    let audio = pcm(600, 0.2);
    for chunk in audio.chunks(960) {
        client
            .send(json!({"type": "input_audio_buffer.append", "audio": b64(chunk)}))
            .await;
    }
    client
        .send(json!({"type": "input_audio_buffer.commit"}))
        .await;
    let committed = json(&client.next().await);
    assert_eq!(committed["type"], "input_audio_buffer.committed");
    let added = json(&client.next().await);
    assert_eq!(added["type"], "conversation.item.added");
    assert_eq!(added["item"]["id"], committed["item_id"]);
    assert_eq!(added["item"]["content"][0]["type"], "input_audio");
    client.until("conversation.item.done").await;
    let (completed, _) = client
        .until("conversation.item.input_audio_transcription.completed")
        .await;
    assert_eq!(json(&completed)["transcript"], "[0.6 seconds of audio]");
    client
        .send(json!({"type": "conversation.item.retrieve", "item_id": committed["item_id"]}))
        .await;
    let retrieved = json(&client.next().await);
    let back = realtime_harness::Base64Audio::new(
        retrieved["item"]["content"][0]["audio"].as_str().unwrap(),
    );
    assert_eq!(back.decode().unwrap(), audio);
    client
        .send(json!({"type": "input_audio_buffer.clear"}))
        .await;
    assert_eq!(
        client.next().await.wire_type(),
        "input_audio_buffer.cleared"
    );
    server.stop().await;
}

#[tokio::test]
async fn server_vad_finds_speech_commits_and_responds() {
    let (server, mut client) = session_at(1000.0).await;
    let mut audio = pcm(400, 0.0);
    audio.extend(pcm(600, 0.2));
    audio.extend(pcm(700, 0.0));
    for chunk in audio.chunks(960) {
        client
            .send(json!({"type": "input_audio_buffer.append", "audio": b64(chunk)}))
            .await;
    }
    let started = json(&client.next().await);
    assert_eq!(started["type"], "input_audio_buffer.speech_started");
    assert_eq!(
        started["audio_start_ms"], 100,
        "400 ms minus 300 ms of prefix padding"
    );
    let stopped = json(&client.next().await);
    assert_eq!(stopped["type"], "input_audio_buffer.speech_stopped");
    assert_eq!(stopped["audio_end_ms"], 1000);
    assert_eq!(stopped["item_id"], started["item_id"]);
    let committed = json(&client.next().await);
    assert_eq!(committed["type"], "input_audio_buffer.committed");
    assert_eq!(committed["item_id"], started["item_id"]);
    let events = response_events(&mut client).await;
    assert_eq!(
        json(events.last().unwrap())["response"]["status"],
        "completed"
    );
    server.stop().await;
}

#[tokio::test]
async fn speech_interrupts_the_active_response() {
    // Real time, so the response is still streaming when the user speaks.
    let (server, mut client) = session_at(1.0).await;
    client
        .say("a reply long enough to be interrupted by the user")
        .await;
    client.send(json!({"type": "response.create"})).await;
    client.until("response.output_audio.delta").await;
    client
        .send(json!({"type": "input_audio_buffer.append", "audio": b64(&pcm(100, 0.2))}))
        .await;
    until_cancelled(&mut client, "turn_detected").await;
    assert_eq!(
        client.next().await.wire_type(),
        "input_audio_buffer.speech_started"
    );
    // With `interrupt_response: false` the response goes on.
    update_session(
        &mut client,
        json!({"type": "session.update", "session": {"type": "realtime", "audio": {"input": {
            "turn_detection": {"type": "server_vad", "interrupt_response": false}}}}}),
    )
    .await;
    client
        .send(json!({"type": "input_audio_buffer.clear"}))
        .await;
    client.until("input_audio_buffer.cleared").await;
    client.send(json!({"type": "response.create"})).await;
    client.until("response.output_audio.delta").await;
    client
        .send(json!({"type": "input_audio_buffer.append", "audio": b64(&pcm(100, 0.2))}))
        .await;
    client.until("input_audio_buffer.speech_started").await;
    let (done, _) = client.until("response.done").await;
    assert_eq!(json(&done)["response"]["status"], "completed");
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_fault_in_the_url_is_refused_with_400() {
    let server = TestServer::fast(1000.0).await;
    let err = tokio_tungstenite::connect_async(format!("{}?fault=nope", server.url))
        .await
        .unwrap_err();
    let tokio_tungstenite::tungstenite::Error::Http(response) = err else {
        panic!("expected an HTTP error, got {err}");
    };
    assert_eq!(response.status(), 400);
    let body = String::from_utf8(response.body().clone().unwrap()).unwrap();
    assert!(body.contains("unknown fault `nope`"), "{body}");
    server.stop().await;
}

#[tokio::test]
async fn items_are_placed_retrieved_and_deleted() {
    let (server, mut client) = session_at(1000.0).await;
    let create = |id: &str, previous: Option<&str>| {
        let mut frame = json!({"type": "conversation.item.create", "event_id": format!("evt_{id}"),
            "item": {"id": id, "type": "message", "role": "user", "content": [{"type": "input_text", "text": id}]}});
        if let Some(p) = previous {
            frame["previous_item_id"] = json!(p);
        }
        frame
    };
    client.send(create("a", None)).await;
    assert_eq!(json(&client.next().await)["previous_item_id"], Value::Null);
    client.until("conversation.item.done").await;
    client.send(create("b", None)).await;
    assert_eq!(json(&client.next().await)["previous_item_id"], "a");
    client.until("conversation.item.done").await;
    client.send(create("c", Some("root"))).await;
    assert_eq!(json(&client.next().await)["previous_item_id"], Value::Null);
    client.until("conversation.item.done").await;
    client.send(create("d", Some("a"))).await;
    assert_eq!(json(&client.next().await)["previous_item_id"], "a");
    client.until("conversation.item.done").await;
    assert_refused(
        &mut client,
        create("e", Some("nope")),
        ("param", "previous_item_id"),
    )
    .await;
    let error = refusal(&mut client, create("a", None)).await;
    assert_eq!(error["param"], "item.id");
    client
        .send(json!({"type": "conversation.item.retrieve", "item_id": "d"}))
        .await;
    let retrieved = json(&client.next().await);
    assert_eq!(retrieved["item"]["content"][0]["text"], "d");
    assert_eq!(retrieved["item"]["status"], "completed");
    client
        .send(json!({"type": "conversation.item.delete", "event_id": "evt_del", "item_id": "d"}))
        .await;
    assert_eq!(json(&client.next().await)["item_id"], "d");
    assert_refused(
        &mut client,
        json!({"type": "conversation.item.delete", "event_id": "evt_del2", "item_id": "d"}),
        ("code", "item_not_found"),
    )
    .await;
    let error = refusal(
        &mut client,
        json!({"type": "conversation.item.retrieve", "item_id": "d"}),
    )
    .await;
    assert_eq!(error["code"], "item_not_found");
    server.stop().await;
}

#[tokio::test]
async fn out_of_band_responses_stay_out_of_the_conversation() {
    let (server, mut client) = session_at(1000.0).await;
    client
        .send(json!({"type": "conversation.item.create",
            "item": {"id": "u1", "type": "message", "role": "user", "content": [{"type": "input_text", "text": "in the conversation"}]}}))
        .await;
    client.until("conversation.item.done").await;
    client
        .send(json!({"type": "response.create", "response": {
            "conversation": "none", "output_modalities": ["text"], "metadata": {"purpose": "summary"},
            "input": [{"type": "item_reference", "id": "u1"},
                      {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "summarize"}]}]}}))
        .await;
    let events = response_events(&mut client).await;
    let kinds = types(&events);
    assert!(
        !kinds.iter().any(|k| k.starts_with("conversation.item")),
        "{kinds:?}"
    );
    let done = json(events.last().unwrap());
    assert_eq!(done["response"]["metadata"], json!({"purpose": "summary"}));
    assert!(done["response"].get("conversation_id").is_none());
    assert_eq!(
        done["response"]["output"][0]["content"][0]["text"],
        "You said: summarize"
    );
    // The conversation did not grow.
    let output_id = done["response"]["output"][0]["id"].clone();
    let error = refusal(
        &mut client,
        json!({"type": "conversation.item.retrieve", "item_id": output_id}),
    )
    .await;
    assert_eq!(error["code"], "item_not_found");
    assert_refused(
        &mut client,
        json!({"type": "response.create", "event_id": "evt_ref", "response": {
            "conversation": "none", "input": [{"type": "item_reference", "id": "missing"}]}}),
        ("param", "response.input[0].id"),
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn a_wrong_or_missing_key_gets_401_with_a_json_body() {
    let server = TestServer::start(Config {
        speed: 1000.0,
        api_key: Some("sk-test".into()),
        ..Config::default()
    })
    .await;
    for header in [None, Some("Bearer sk-wrong")] {
        let mut request = server.url.as_str().into_client_request().unwrap();
        if let Some(h) = header {
            request
                .headers_mut()
                .insert("authorization", h.parse().unwrap());
        }
        let err = tokio_tungstenite::connect_async(request).await.unwrap_err();
        let tokio_tungstenite::tungstenite::Error::Http(response) = err else {
            panic!("expected an HTTP error, got {err}");
        };
        assert_eq!(response.status(), 401);
        let body: Value = serde_json::from_slice(response.body().as_deref().unwrap()).unwrap();
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert!(
            body["error"]["code"].as_str().unwrap().ends_with("api_key"),
            "{body}"
        );
    }
    let mut request = server.url.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("authorization", "Bearer sk-test".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let first = ws.next().await.unwrap().unwrap();
    assert!(first.to_text().unwrap().contains("\"session.created\""));
    // Other paths: 404.
    let other = server.url.replace("/v1/realtime", "/v1/other");
    let err = tokio_tungstenite::connect_async(other).await.unwrap_err();
    assert!(matches!(err, tokio_tungstenite::tungstenite::Error::Http(r) if r.status() == 404));
    server.stop().await;
}

#[test]
fn the_command_prints_its_address_serves_and_stops_on_ctrl_c() {
    let report = std::env::temp_dir().join(format!("serve-report-{}.jsonl", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_realtime-harness"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "1000",
            "--report",
        ])
        .arg(&report)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .strip_prefix("listening on ")
        .and_then(|rest| rest.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("first line: {first:?}"));
    let port: u16 = url
        .strip_prefix("ws://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/v1/realtime"))
        .unwrap_or_else(|| panic!("url: {url}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut client = Client::session(url).await;
        client.send_text("not json").await;
        assert_eq!(client.error().await["code"], "invalid_json");
        client.ws.close(None).await.unwrap();
    });
    // The report line of the closed connection.
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("connection 1 (127.0.0.1:"), "{line}");
    line.clear();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains("error[parse-error]"), "{line}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "Ctrl-C stops cleanly");
    // The same finding as a JSON line.
    let lines = std::fs::read_to_string(&report).unwrap();
    let _ = std::fs::remove_file(&report);
    let findings: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{lines}");
    assert_eq!(findings[0]["connection"], 1);
    assert_eq!(findings[0]["rule"], "parse-error");
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(findings[0]["frame"], 1);
}
