//! Each scripted fault of `serve`, over a real WebSocket on 127.0.0.1:
//! the fault happens, and only where it is meant to.
//!
//!     cargo test --test serve_faults

mod serve_support;

use realtime_harness::protocol::{FindingRule, ProtocolRule};
use realtime_harness::serve::{Config, Fault};
use realtime_harness::ServerEvent;
use serde_json::json;
use serve_support::{json, types, Client, Read, TestServer};

/// A user message, then `response.create`.
async fn ask(client: &mut Client, text: &str) {
    client.say(text).await;
    client.send(json!({"type": "response.create"})).await;
}

/// Every event up to and including `response.done`.
async fn through_done(client: &mut Client) -> Vec<ServerEvent> {
    let (done, mut before) = client.until("response.done").await;
    before.push(done);
    before
}

#[tokio::test]
async fn error_without_response_done() {
    let (server, mut client) = session_with_fault(1000.0, "error-without-response-done").await;
    ask(&mut client, "hello").await;
    let (error, before) = client.until("error").await;
    assert!(types(&before).contains(&"response.created".to_owned()));
    let error = json(&error)["error"].clone();
    assert_eq!(error["type"], "server_error");
    // The response is gone without `response.done`: a new one is accepted.
    client
        .send(json!({"type": "response.create", "event_id": "evt_2"}))
        .await;
    let next = json(&client.next().await);
    assert_eq!(next["type"], "response.created", "{next}");
    assert!(!types(&client.log).contains(&"response.done".to_owned()));
    server.stop().await;
}

#[tokio::test]
async fn unknown_event_types() {
    let server = TestServer::fast(1000.0).await;
    let mut client = lenient_client(&server, "unknown-event-types").await;
    assert_eq!(client.next().await.wire_type(), "session.created");
    let injected = client.next().await;
    assert!(
        matches!(injected, ServerEvent::Unknown { .. }),
        "{injected:?}"
    );
    assert_eq!(injected.wire_type(), "session.heartbeat");
    ask(&mut client, "hello").await;
    let events = through_done(&mut client).await;
    let kinds = types(&events);
    let created = kinds.iter().position(|k| k == "response.created").unwrap();
    assert!(
        matches!(events[created + 1], ServerEvent::Unknown { .. }),
        "{kinds:?}"
    );
    let unknown = events
        .iter()
        .filter(|e| matches!(e, ServerEvent::Unknown { .. }))
        .count();
    assert_eq!(unknown, 1, "{kinds:?}");
    server.stop().await;
}

#[tokio::test]
async fn large_audio_deltas() {
    let (server, mut client) = session_with_fault(1000.0, "large-audio-deltas").await;
    ask(&mut client, "hi").await;
    let events = through_done(&mut client).await;
    let deltas: Vec<usize> = events
        .iter()
        .filter(|e| e.wire_type() == "response.output_audio.delta")
        .map(|e| e.to_vec().len())
        .collect();
    assert!(!deltas.is_empty());
    assert!(deltas.iter().all(|&n| n > 64 * 1024), "{deltas:?}");
    // Without the fault, no frame comes near it.
    let mut plain = Client::session(&server.url).await;
    ask(&mut plain, "hi").await;
    let largest = through_done(&mut plain)
        .await
        .iter()
        .map(|e| e.to_vec().len())
        .max()
        .unwrap();
    assert!(largest < 16 * 1024, "{largest}");
    server.stop().await;
}

#[tokio::test]
async fn legacy_event_names() {
    let server = TestServer::fast(1000.0).await;
    let mut client = lenient_client(&server, "legacy-event-names").await;
    client.next().await;
    ask(&mut client, "hello there").await;
    let kinds = types(&through_done(&mut client).await);
    for legacy in [
        "response.audio.delta",
        "response.audio_transcript.delta",
        "response.audio.done",
        "conversation.item.created",
    ] {
        assert!(
            kinds.iter().any(|k| k == legacy),
            "{legacy} missing from {kinds:?}"
        );
    }
    for ga in [
        "response.output_audio.delta",
        "response.output_audio_transcript.delta",
        "conversation.item.added",
    ] {
        assert!(!kinds.iter().any(|k| k == ga), "{ga} still sent: {kinds:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn session_expiry() {
    // 5 s of session at 100× is 50 ms.
    let (server, mut client) = session_with_fault(100.0, "session-expiry").await;
    let error = client.error().await;
    assert_eq!(error["code"], "session_expired");
    match client.read().await {
        Read::Closed(code) => assert_eq!(code, Some(1001)),
        other => panic!("expected close 1001, got {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn abrupt_close() {
    let (server, mut client) = session_with_fault(1.0, "abrupt-close").await;
    ask(&mut client, "a sentence long enough to stream for a while").await;
    let ending = loop {
        match client.read().await {
            Read::Event(_) => continue,
            other => break other,
        }
    };
    assert!(
        matches!(ending, Read::Dropped(_)),
        "no close frame: {ending:?}"
    );
    let kinds = types(&client.log);
    assert!(
        kinds.contains(&"response.output_audio.delta".to_owned()),
        "{kinds:?}"
    );
    assert!(!kinds.contains(&"response.done".to_owned()));
    server.stop().await;
}

#[tokio::test]
async fn slow_start() {
    // 3 s at 10× is 300 ms: the frame sent at once arrives before `session.created`.
    let server = TestServer::fast(10.0).await;
    let mut client = Client::connect(&format!("{}?fault=slow-start", server.url)).await;
    let connected = std::time::Instant::now();
    client
        .send(json!({"type": "session.update", "event_id": "evt_early", "session": {"type": "realtime", "instructions": "early"}}))
        .await;
    assert_eq!(client.next().await.wire_type(), "session.created");
    assert!(
        connected.elapsed() >= std::time::Duration::from_millis(250),
        "{:?}",
        connected.elapsed()
    );
    let updated = json(&client.next().await);
    assert_eq!(updated["session"]["instructions"], "early");
    drop(client);
    let report = server.report(1).await;
    assert_eq!(report.faults.iter().collect::<Vec<_>>(), [Fault::SlowStart]);
    let early = &report.findings[0];
    assert_eq!(
        early.rule,
        FindingRule::Protocol(ProtocolRule::BeforeSessionCreated)
    );
    assert_eq!(early.event_id.as_deref(), Some("evt_early"));
    server.stop().await;
}

#[tokio::test]
async fn rate_limits_after_done_set_for_the_whole_server() {
    let server = TestServer::start(Config {
        speed: 1000.0,
        faults: [Fault::RateLimitsAfterDone].into_iter().collect(),
        ..Config::default()
    })
    .await;
    let mut client = Client::session(&server.url).await;
    ask(&mut client, "hello").await;
    let kinds = types(&through_done(&mut client).await);
    assert!(
        !kinds.contains(&"rate_limits.updated".to_owned()),
        "{kinds:?}"
    );
    assert_eq!(client.next().await.wire_type(), "rate_limits.updated");
    server.stop().await;
}

/// A server at `speed` times real time, and a client whose session has
/// `fault` on.
async fn session_with_fault(speed: f64, fault: &str) -> (TestServer, Client) {
    let server = TestServer::fast(speed).await;
    let client = Client::session(&format!("{}?fault={fault}", server.url)).await;
    (server, client)
}

/// A client of `server` with `fault` on, that takes frames of types the
/// model does not know (the fault sends them).
async fn lenient_client(server: &TestServer, fault: &str) -> Client {
    let mut client = Client::connect(&format!("{}?fault={fault}", server.url)).await;
    client.allow_unknown = true;
    client
}
