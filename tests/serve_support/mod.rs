//! A `serve` instance on 127.0.0.1 and a WebSocket client that checks
//! every server frame: it must parse as a `ServerEvent` (never `Unknown`,
//! unless the test allows it) and `to_vec` must give back the same bytes.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use realtime_harness::serve::{Config, ConnectionReport, Server};
use realtime_harness::{RealtimeServerEvent, ServerEvent};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// A running server.
pub struct TestServer {
    pub url: String,
    pub reports: Arc<Mutex<Vec<ConnectionReport>>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// A server at `speed` with `config`'s other settings.
    pub async fn start(config: Config) -> TestServer {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&reports);
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            on_close: Some(Arc::new(move |r: &ConnectionReport| {
                sink.lock().unwrap().push(r.clone())
            })),
            ..config
        };
        let server = Server::bind(config).await.expect("bind 127.0.0.1:0");
        let url = server.url().unwrap();
        let (stop, task) = spawn_until_stopped(|stopped| server.run(stopped));
        TestServer {
            url,
            reports,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A server at `speed`, otherwise default.
    pub async fn fast(speed: f64) -> TestServer {
        TestServer::start(Config {
            speed,
            ..Config::default()
        })
        .await
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(WAIT, self.task.take().unwrap())
            .await
            .expect("the server stops")
            .unwrap();
    }

    /// The rule ids of the findings of connection `n`, once it has closed.
    pub async fn rules(&self, n: u64) -> Vec<&'static str> {
        let report = self.report(n).await;
        report.findings.iter().map(|f| f.rule.id()).collect()
    }

    /// The report of the connection numbered `n`, once it has closed.
    pub async fn report(&self, n: u64) -> ConnectionReport {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(r) = self
                .reports
                .lock()
                .unwrap()
                .iter()
                .find(|r| r.connection == n)
            {
                return r.clone();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no report for connection {n}"
            );
            // The report is written as the connection task ends, which no
            // event of ours can wait on; poll briefly.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// A client connection.
pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Every event received, in order.
    pub log: Vec<ServerEvent>,
    /// Accept `Unknown` events (the unknown-event-types and legacy-event-names faults).
    pub allow_unknown: bool,
}

/// How a read ended.
#[derive(Debug)]
pub enum Read {
    Event(ServerEvent),
    /// A close frame with its code.
    Closed(Option<u16>),
    /// The connection ended without a close frame.
    Dropped(String),
}

impl Client {
    /// Connects to `url` (with `query` appended, e.g. `?fault=slow-start`).
    pub async fn connect(url: &str) -> Client {
        let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
            .await
            .expect("connect in time")
            .expect("connect");
        Client {
            ws,
            log: Vec::new(),
            allow_unknown: false,
        }
    }

    /// Connects and reads `session.created`, which must come first.
    pub async fn session(url: &str) -> Client {
        let mut client = Client::connect(url).await;
        let first = client.next().await;
        assert_eq!(
            first.to_event_type(),
            Some(RealtimeServerEvent::SessionCreated),
            "{first:?}"
        );
        client
    }

    /// Sends one text frame.
    pub async fn send_text(&mut self, text: impl Into<String>) {
        self.ws
            .send(Message::text(text.into()))
            .await
            .expect("send");
    }

    /// Sends a JSON value.
    pub async fn send(&mut self, value: Value) {
        self.send_text(value.to_string()).await;
    }

    /// A user text message (`conversation.item.create`).
    pub async fn say(&mut self, text: &str) {
        self.send(serde_json::json!({"type": "conversation.item.create",
            "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}}))
            .await;
    }

    /// The next frame, or how the connection ended.
    pub async fn read(&mut self) -> Read {
        loop {
            let message = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a server frame in time");
            match message {
                Some(Ok(Message::Text(text))) => {
                    let event = ServerEvent::from_slice(text.as_bytes())
                        .unwrap_or_else(|e| panic!("not a ServerEvent: {e}: {}", text.as_str()));
                    assert_eq!(
                        event.to_vec(),
                        text.as_bytes(),
                        "to_vec round trip of {}",
                        text.as_str()
                    );
                    if !self.allow_unknown {
                        assert!(
                            !matches!(event, ServerEvent::Unknown { .. }),
                            "an unknown event type: {}",
                            text.as_str()
                        );
                    }
                    self.log.push(event.clone());
                    return Read::Event(event);
                }
                Some(Ok(Message::Close(frame))) => {
                    return Read::Closed(frame.map(|f| u16::from(f.code)))
                }
                Some(Ok(Message::Binary(_))) => panic!("the server sent a binary frame"),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Read::Dropped(e.to_string()),
                None => return Read::Dropped("end of stream".into()),
            }
        }
    }

    /// The next event; the connection must stay open.
    pub async fn next(&mut self) -> ServerEvent {
        match self.read().await {
            Read::Event(event) => event,
            other => panic!("the connection ended: {other:?}"),
        }
    }

    /// Reads until an event of `wire_type`; returns it and the events before it.
    pub async fn until(&mut self, wire_type: &str) -> (ServerEvent, Vec<ServerEvent>) {
        let mut before = Vec::new();
        loop {
            let event = self.next().await;
            if event.wire_type() == wire_type {
                return (event, before);
            }
            before.push(event);
        }
    }

    /// The next event, which must be an `error`; returns its `error` as JSON.
    pub async fn error(&mut self) -> Value {
        let event = self.next().await;
        assert_eq!(
            event.wire_type(),
            "error",
            "expected an error, got {event:?}"
        );
        json(&event)["error"].clone()
    }
}

/// An event as a JSON value.
pub fn json(event: &ServerEvent) -> Value {
    serde_json::from_slice(&event.to_vec()).unwrap()
}

/// The wire types of `events`.
pub fn types(events: &[ServerEvent]) -> Vec<String> {
    events.iter().map(|e| e.wire_type().to_owned()).collect()
}

/// `ms` of 16-bit PCM at 24 kHz: a 440 Hz tone at `level` of full scale, or silence.
pub fn pcm(ms: usize, level: f64) -> Vec<u8> {
    let mut out = Vec::with_capacity(ms * 48);
    for i in 0..ms * 24 {
        let t = i as f64 / 24_000.0;
        let s = (level * 32767.0 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as i16;
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Base64 of `bytes`.
pub fn b64(bytes: &[u8]) -> String {
    realtime_harness::Base64Audio::encode(bytes).into_string()
}

/// A `wss://` endpoint on 127.0.0.1 in front of a `ws://` one: it ends
/// TLS with the test certificate of `tests/fixtures/tls` (for 127.0.0.1,
/// signed by the test authority [`TEST_CA`]) and pipes the bytes through.
pub struct TlsFront {
    /// `wss://127.0.0.1:PORT` plus the path of the URL fronted.
    pub url: String,
    task: JoinHandle<()>,
}

/// The PEM file of the authority that signed the `wss://` test certificate.
pub const TEST_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");

impl TlsFront {
    /// Fronts `url` (`ws://HOST:PORT[/PATH]`).
    pub async fn start(url: &str) -> TlsFront {
        use tokio_rustls::rustls::pki_types::pem::PemObject;
        use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
        use tokio_rustls::rustls::{crypto, ServerConfig};

        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/");
        let chain: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(format!("{fixtures}server.pem"))
                .unwrap()
                .map(Result::unwrap)
                .collect();
        let key = PrivateKeyDer::from_pem_file(format!("{fixtures}server.key")).unwrap();
        let config =
            ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(chain, key)
                .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let rest = url.strip_prefix("ws://").expect("a ws:// URL");
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let inner = authority.to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let front = format!("wss://{}{path}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let inner = inner.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends here.
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut plain = TcpStream::connect(inner).await.unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        TlsFront { url: front, task }
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Runs a server or proxy (`run` given its shutdown signal) on the runtime
/// until the returned sender fires or is dropped; its end must be clean.
pub fn spawn_until_stopped<F, Fut>(run: F) -> (oneshot::Sender<()>, JoinHandle<()>)
where
    F: FnOnce(std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>) -> Fut,
    Fut: std::future::Future<Output = std::io::Result<()>> + Send + 'static,
{
    let (stop, stopped) = oneshot::channel::<()>();
    let running = run(Box::pin(async {
        let _ = stopped.await;
    }));
    let task = tokio::spawn(async move { running.await.unwrap() });
    (stop, task)
}
