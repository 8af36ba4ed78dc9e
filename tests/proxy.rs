//! `realtime-harness proxy` on loopback: bytes forwarded unchanged both
//! ways (against a scripted upstream that records what it gets), a real
//! `serve` session through the proxy whose capture `check` passes with its
//! stateful rules, the same over a `wss://` upstream whose certificate
//! chains to `--upstream-ca` (and is refused without it), the auth header
//! forwarded but never printed nor recorded, and stateful violations
//! reported with their line.

#![cfg(feature = "cli")]

mod serve_support;

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use realtime_harness::proxy::{Config as ProxyConfig, Note, Proxy, Recorder};
use realtime_harness::serve::Config as ServeConfig;
use serde_json::{json, Value};
use serve_support::{spawn_until_stopped, TestServer, TlsFront, TEST_CA, WAIT};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

const KEY: &str = "sk-proxy-test-0123456789";

/// A running proxy, its notes as printed lines, and its capture file.
struct TestProxy {
    url: String,
    notes: Arc<Mutex<Vec<String>>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestProxy {
    async fn start(upstream: &str, capture: &Path) -> TestProxy {
        TestProxy::start_with_ca(upstream, None, capture).await
    }

    /// A proxy whose `wss://` upstream may chain to the certificates of `ca`.
    async fn start_with_ca(upstream: &str, ca: Option<&str>, capture: &Path) -> TestProxy {
        let notes = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&notes);
        let record: Recorder = Arc::new(Mutex::new(Box::new(File::create(capture).unwrap())));
        let proxy = Proxy::bind(ProxyConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            upstream: upstream.to_owned(),
            upstream_ca: ca.map(Into::into),
            record: Some(record),
            on_note: Some(Arc::new(move |note: &Note| {
                sink.lock().unwrap().push(note.to_string())
            })),
            max_message_bytes: 32 << 20,
        })
        .await
        .expect("bind the proxy");
        let url = format!("ws://{}", proxy.local_addr().unwrap());
        let (stop, task) = spawn_until_stopped(|stopped| proxy.run(stopped));
        TestProxy {
            url,
            notes,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Waits until connection 1 has closed (its `closed` note), then stops.
    async fn stop(self) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self
            .notes
            .lock()
            .unwrap()
            .iter()
            .any(|n| n.contains("closed"))
        {
            assert!(tokio::time::Instant::now() < deadline, "no closed note");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        self.halt().await
    }

    /// Stops at once; the notes so far.
    async fn halt(mut self) -> Vec<String> {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap();
        self.notes.lock().unwrap().clone()
    }
}

/// Reads text messages into `received` up to the first event of type
/// `kind`, which it returns.
async fn until(
    ws: &mut (impl StreamExt<Item = Result<Message, WsError>> + Unpin),
    received: &mut Vec<String>,
    kind: &str,
) -> Value {
    loop {
        let message = tokio::time::timeout(WAIT, ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(text) = message {
            received.push(text.as_str().to_owned());
            let event: Value = serde_json::from_str(text.as_str()).unwrap();
            if event["type"] == kind {
                return event;
            }
        }
    }
}

/// A fast `serve` that demands [`KEY`].
async fn keyed_server() -> TestServer {
    TestServer::start(ServeConfig {
        speed: 100.0,
        api_key: Some(KEY.to_owned()),
        ..ServeConfig::default()
    })
    .await
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rh-proxy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn check_json(capture: &Path) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_realtime-harness"))
        .args(["check", "--format", "json"])
        .arg(capture)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap(), report)
}

/// The (rule, line) of the stateful findings of `severity` (any when empty).
fn stateful(report: &Value, severity: &str) -> Vec<(String, u64)> {
    report["stateful"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| severity.is_empty() || f["severity"] == severity)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn capture_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An upstream that accepts one connection (choosing the subprotocol
/// `realtime`), sends `script`, records what it receives until the client's
/// close, and hands back the request headers and the messages received.
async fn scripted_upstream(
    script: Vec<Message>,
) -> (
    String,
    tokio::task::JoinHandle<(Vec<(String, String)>, Vec<Message>)>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/v1/realtime", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut headers = Vec::new();
        // The return type is tungstenite's `Callback` signature.
        #[allow(clippy::result_large_err)]
        let callback = |request: &Request, mut response: Response| {
            for (name, value) in request.headers() {
                headers.push((name.to_string(), value.to_str().unwrap().to_owned()));
            }
            headers.push((":target".to_owned(), request.uri().to_string()));
            response
                .headers_mut()
                .insert("sec-websocket-protocol", "realtime".parse().unwrap());
            Ok(response)
        };
        let mut ws = tokio_tungstenite::accept_hdr_async(stream, callback)
            .await
            .unwrap();
        let mut received = Vec::new();
        // Read the client's data frames first, so both directions' orders are known.
        while let Some(Ok(message)) = ws.next().await {
            let last = matches!(&message, Message::Text(t) if t.as_str() == "last");
            received.push(message);
            if last {
                break;
            }
        }
        for message in script {
            ws.send(message).await.unwrap();
        }
        while let Some(Ok(message)) = ws.next().await {
            received.push(message);
        }
        (headers, received)
    });
    (url, task)
}

/// Text frames a re-serializing proxy would change: spacing, key order,
/// escapes, numbers, non-JSON, a frame over a mebibyte.
fn odd_frames(side: &str) -> Vec<String> {
    vec![
        format!(r#"{{ "type" : "response.create",   "event_id":"evt_{side}\u00e9", "response":{{"metadata":{{"z":1,"a":2.50}}}} }}"#),
        format!("{{\"type\":\"conversation.item.create\",\"item\":{{\"type\":\"message\",\"role\":\"user\",\"content\":[{{\"type\":\"input_text\",\"text\":\"h\\u00e9llo {side} \\/ \\ud83d\\ude00\"}}]}}}}"),
        "not JSON at all \u{1F600}".to_owned(),
        format!("{{\"type\":\"input_audio_buffer.append\",\"audio\":\"{}\"}}", "AAAA".repeat(300_000)),
        "{\n  \"type\": \"input_audio_buffer.clear\"\n}".to_owned(),
    ]
}

fn texts(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Text(t) => Some(t.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

fn binaries(messages: &[Message]) -> Vec<Vec<u8>> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Binary(b) => Some(b.to_vec()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_pass_byte_for_byte_both_ways() {
    let from_server: Vec<String> = odd_frames("server");
    let mut script: Vec<Message> = from_server
        .iter()
        .map(|t| Message::text(t.clone()))
        .collect();
    script.push(Message::binary(vec![0u8, 159, 146, 150, 255]));
    script.push(Message::Close(Some(CloseFrame {
        code: CloseCode::from(4000),
        reason: "bye".into(),
    })));
    let (upstream, upstream_task) = scripted_upstream(script).await;
    let capture = temp("bytes.jsonl");
    let proxy = TestProxy::start(&upstream, &capture).await;

    let mut request = format!("{}/v1/realtime?model=gpt-realtime", proxy.url)
        .into_client_request()
        .unwrap();
    let headers = request.headers_mut();
    headers.insert("authorization", format!("Bearer {KEY}").parse().unwrap());
    headers.insert("openai-beta", "realtime=v1".parse().unwrap());
    headers.insert(
        "sec-websocket-protocol",
        format!("realtime, openai-insecure-api-key.{KEY}")
            .parse()
            .unwrap(),
    );
    let (mut ws, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "realtime",
        "the upstream's subprotocol comes back"
    );

    let from_client = odd_frames("client");
    for text in &from_client {
        ws.send(Message::text(text.clone())).await.unwrap();
    }
    ws.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
    ws.send(Message::text("last")).await.unwrap();
    let mut received = Vec::new();
    let mut close = None;
    while let Some(message) = tokio::time::timeout(WAIT, ws.next()).await.unwrap() {
        match message {
            Ok(Message::Close(frame)) => {
                close = frame;
                break;
            }
            Ok(message) => received.push(message),
            Err(err) => panic!("{err}"),
        }
    }
    let _ = ws.close(None).await;
    let (upstream_headers, upstream_received) = upstream_task.await.unwrap();
    let notes = proxy.stop().await;

    let mut sent = from_client.clone();
    sent.push("last".to_owned());
    assert_eq!(texts(&upstream_received), sent, "client to server");
    assert_eq!(binaries(&upstream_received), [vec![1u8, 2, 3]]);
    assert_eq!(texts(&received), from_server, "server to client");
    assert_eq!(binaries(&received), [vec![0u8, 159, 146, 150, 255]]);
    let close = close.expect("the upstream's close frame");
    assert_eq!(
        (u16::from(close.code), close.reason.as_str()),
        (4000, "bye")
    );

    let header = |name: &str| {
        upstream_headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("authorization"), Some(&*format!("Bearer {KEY}")));
    assert_eq!(header("openai-beta"), Some("realtime=v1"));
    assert!(header("sec-websocket-protocol").unwrap().contains(KEY));
    assert_eq!(header(":target"), Some("/v1/realtime?model=gpt-realtime"));

    // The capture holds every data message as it passed, and no key.
    let raw = std::fs::read_to_string(&capture).unwrap();
    assert!(!raw.contains(KEY) && !raw.to_lowercase().contains("authorization"));
    assert!(notes.iter().all(|n| !n.contains(KEY)), "{notes:?}");
    let lines = capture_lines(&capture);
    let recorded = |direction: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l["direction"] == direction && l.get("frame").is_some())
            .map(|l| match &l["frame"] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect()
    };
    // Embedded objects come back through serde_json here, so compare as values.
    let as_values = |texts: &[String]| -> Vec<Value> {
        texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.clone())))
            .collect()
    };
    assert_eq!(as_values(&recorded("client")), as_values(&sent));
    assert_eq!(as_values(&recorded("server")), as_values(&from_server));
    // Byte for byte too: each embedded frame stands in its line verbatim.
    assert!(raw.contains(&from_server[0]) && raw.contains(&from_client[0]));
    assert!(lines.iter().any(|l| l["binary"] == "AQID"));
    assert!(lines
        .iter()
        .any(|l| l["direction"] == "server" && l["close"]["code"] == 4000));
    // Live findings name direction, rule and pointer: the non-JSON frames.
    assert!(
        notes
            .iter()
            .any(|n| n.contains(" client ") && n.contains("[parse-error]")),
        "{notes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serve_session_through_the_proxy_records_a_capture_check_passes() {
    let server = keyed_server().await;
    let upstream = server.url.trim_end_matches("/v1/realtime").to_owned();
    let capture = temp("serve.jsonl");
    let proxy = TestProxy::start(&upstream, &capture).await;
    let url = format!("{}/v1/realtime?model=gpt-realtime", proxy.url);

    // No key: serve's 401 comes back through the proxy.
    match tokio_tungstenite::connect_async(url.as_str()).await {
        Err(WsError::Http(response)) => assert_eq!(response.status().as_u16(), 401),
        other => panic!("expected HTTP 401, got {:?}", other.map(|_| ())),
    }

    let mut request = url.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {KEY}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut received: Vec<String> = Vec::new();
    until(&mut ws, &mut received, "session.created").await;
    let mut sent = vec![
        json!({"type": "conversation.item.create", "event_id": "evt_1", "item": {"type": "message",
            "role": "user", "content": [{"type": "input_text", "text": "Hello"}]}}),
        json!({"type": "response.create", "event_id": "evt_2"}),
    ];
    for event in &sent {
        ws.send(Message::text(event.to_string())).await.unwrap();
    }
    let done = until(&mut ws, &mut received, "response.done").await;
    let item = done["response"]["output"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let far = json!({"type": "conversation.item.truncate", "event_id": "evt_far", "item_id": item,
        "content_index": 0, "audio_end_ms": 600_000});
    ws.send(Message::text(far.to_string())).await.unwrap();
    sent.push(far);
    let error = until(&mut ws, &mut received, "error").await;
    assert_eq!(error["error"]["event_id"], "evt_far");
    ws.close(None).await.unwrap();
    while let Some(Ok(_)) = ws.next().await {}
    let notes = proxy.stop().await;
    server.stop().await;

    let raw = std::fs::read_to_string(&capture).unwrap();
    assert!(!raw.contains(KEY), "the key is not recorded");
    assert!(notes.iter().all(|n| !n.contains(KEY)), "{notes:?}");

    // What the client got is what the capture holds, in order, byte for byte.
    let lines = capture_lines(&capture);
    let server_frames: Vec<&str> = raw
        .lines()
        .filter(|l| l.contains(r#""direction":"server","frame":"#))
        .map(|l| {
            let start = l.find(r#""frame":"#).unwrap() + 8;
            &l[start..l.len() - 1]
        })
        .collect();
    assert_eq!(server_frames, received);
    let client_frames: Vec<Value> = lines
        .iter()
        .filter(|l| l["direction"] == "client" && l.get("frame").is_some())
        .map(|l| l["frame"].clone())
        .collect();
    assert_eq!(client_frames, sent);

    let (code, report) = check_json(&capture);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["conforms"], true);
    // The truncate past the audio is the client's (a warning); serve refused it.
    let far_line = raw.lines().position(|l| l.contains("evt_far")).unwrap() + 1;
    assert_eq!(
        stateful(&report, "warning"),
        [("truncate-beyond-audio".to_owned(), far_line as u64)]
    );
    assert_eq!(stateful(&report, ""), stateful(&report, "warning"));

    // Seeded: without its `response.done`, the response is reported at its
    // `response.created` line.
    let created = raw
        .lines()
        .position(|l| l.contains(r#""type":"response.created""#))
        .unwrap()
        + 1;
    let seeded = temp("seeded.jsonl");
    let mut file = File::create(&seeded).unwrap();
    for line in raw.lines() {
        if !line.contains(r#""type":"response.done""#) {
            writeln!(file, "{line}").unwrap();
        }
    }
    drop(file);
    let (code, report) = check_json(&seeded);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        stateful(&report, "error"),
        [("response-without-done".to_owned(), created as u64)]
    );
}

#[test]
fn hand_written_violations_are_reported_with_their_lines() {
    let capture = temp("hand.jsonl");
    let lines: [&str; 10] = [
        r#"{"direction":"server","frame":{"type":"session.created","event_id":"e1","session":{"type":"realtime","object":"realtime.session","id":"sess_1","model":"gpt-realtime","audio":{"input":{"format":{"type":"audio/pcmu"}}}}}}"#,
        r#"{"direction":"client","frame":{"type":"response.create","event_id":"c1"}}"#,
        r#"{"direction":"server","frame":{"type":"response.created","event_id":"e2","response":{"id":"resp_1","object":"realtime.response","status":"in_progress","output":[]}}}"#,
        r#"{"direction":"server","frame":{"type":"response.output_text.delta","event_id":"e3","response_id":"resp_1","item_id":"item_x","output_index":0,"content_index":0,"delta":"hi"}}"#,
        r#"{"direction":"server","frame":{"type":"response.created","event_id":"e4","response":{"id":"resp_2","object":"realtime.response","status":"in_progress","output":[]}}}"#,
        r#"{"direction":"client","frame":{"type":"conversation.item.delete","event_id":"c2","item_id":"item_gone"}}"#,
        r#"{"direction":"server","frame":{"type":"error","event_id":"e5","error":{"type":"invalid_request_error","code":"item_not_found","message":"not found"}}}"#,
        &format!(
            r#"{{"direction":"client","frame":{{"type":"input_audio_buffer.append","event_id":"c3","audio":"{}"}}}}"#,
            "A".repeat(320)
        ),
        r#"{"direction":"server","frame":{"type":"response.done","event_id":"e6","response":{"id":"resp_1","object":"realtime.response","status":"completed","output":[]}}}"#,
        r#"{"direction":"server","frame":{"type":"response.done","event_id":"e7","response":{"id":"resp_2","object":"realtime.response","status":"completed","output":[]}}}"#,
    ];
    std::fs::write(&capture, lines.join("\n") + "\n").unwrap();
    let (code, report) = check_json(&capture);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        stateful(&report, ""),
        [
            ("unannounced-id".to_owned(), 4),
            ("server-response-while-active".to_owned(), 5),
            ("error-without-event-id".to_owned(), 7),
            ("audio-format-mismatch".to_owned(), 8),
        ],
        "{report}"
    );
    // Every frame on its own conforms: only the state shows these (240
    // bytes of PCM16 silence read as such, not as μ-law).
    assert_eq!(report["summary"]["total"]["failing"], 0, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wss_upstream_is_reached_when_its_authority_is_trusted() {
    let server = keyed_server().await;
    let front = TlsFront::start(&server.url).await;
    let upstream = front.url.trim_end_matches("/v1/realtime").to_owned();
    assert!(upstream.starts_with("wss://127.0.0.1:"), "{upstream}");
    let with_key = |url: &str| {
        let mut request = url.into_client_request().unwrap();
        request
            .headers_mut()
            .insert("authorization", format!("Bearer {KEY}").parse().unwrap());
        request
    };

    // The webpki roots alone do not trust the test authority: the client
    // gets a 502 that says why, and nothing was relayed.
    let capture = temp("wss-untrusted.jsonl");
    let proxy = TestProxy::start(&upstream, &capture).await;
    let url = format!("{}/v1/realtime?model=gpt-realtime", proxy.url);
    match tokio_tungstenite::connect_async(with_key(&url)).await {
        Err(WsError::Http(response)) => assert_eq!(response.status().as_u16(), 502),
        other => panic!("expected HTTP 502, got {:?}", other.map(|_| ())),
    }
    let notes = proxy.halt().await;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("refused (502)") && n.contains("UnknownIssuer")),
        "{notes:?}"
    );
    assert!(notes.iter().all(|n| !n.contains(KEY)), "{notes:?}");

    // With `--upstream-ca`: a whole session over TLS, the key forwarded.
    let capture = temp("wss.jsonl");
    let proxy = TestProxy::start_with_ca(&upstream, Some(TEST_CA), &capture).await;
    let url = format!("{}/v1/realtime?model=gpt-realtime", proxy.url);
    match tokio_tungstenite::connect_async(url.as_str()).await {
        Err(WsError::Http(response)) => assert_eq!(response.status().as_u16(), 401),
        other => panic!(
            "expected serve's 401 without a key, got {:?}",
            other.map(|_| ())
        ),
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(with_key(&url))
        .await
        .unwrap();
    let mut received = Vec::new();
    until(&mut ws, &mut received, "session.created").await;
    let create = json!({"type": "response.create", "event_id": "evt_1",
        "response": {"output_modalities": ["text"]}});
    ws.send(Message::text(create.to_string())).await.unwrap();
    until(&mut ws, &mut received, "response.done").await;
    let kinds: Vec<String> = received
        .iter()
        .map(|t| {
            serde_json::from_str::<Value>(t).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    ws.close(None).await.unwrap();
    while let Some(Ok(_)) = ws.next().await {}
    let notes = proxy.stop().await;
    server.stop().await;
    assert_eq!(kinds[0], "session.created");
    assert!(
        kinds.contains(&"response.output_text.delta".to_owned()),
        "{kinds:?}"
    );
    let opened = format!(
        "opened to {}/v1/realtime",
        front.url.trim_end_matches("/v1/realtime")
    );
    assert!(notes.iter().any(|n| n.contains(&opened)), "{notes:?}");
    let raw = std::fs::read_to_string(&capture).unwrap();
    assert!(!raw.contains(KEY), "the key is not recorded");
    assert!(notes.iter().all(|n| !n.contains(KEY)), "{notes:?}");
    let (code, report) = check_json(&capture);
    assert_eq!(code, 0, "{report}");
    assert_eq!(stateful(&report, ""), []);
    assert_eq!(
        capture_lines(&capture)
            .iter()
            .filter(|l| l["direction"] == "server")
            .count(),
        kinds.len()
    );
}
