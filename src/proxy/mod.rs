//! `realtime-harness proxy`: a transparent WebSocket proxy between a
//! Realtime client and a Realtime server (the real API, `serve`, anything
//! else) that judges every message as it passes and can record a capture
//! ([`crate::capture`]) that `check` reads.
//!
//! - The handshake: the client's request target (path and query, e.g.
//!   `?model=…`) goes upstream, onto the upstream URL's path when it has
//!   one, with the client's headers (`Authorization`, `OpenAI-Beta`,
//!   `OpenAI-Organization`, `Sec-WebSocket-Protocol`, …) except the ones
//!   that belong to one hop (`Host`, `Connection`, `Upgrade`, the
//!   `Sec-WebSocket-Key`/`-Version`/`-Extensions`). The upstream's answer
//!   comes back: a refusal (e.g. 401) with its status and body, an
//!   acceptance with its subprotocol and headers. Header values are never
//!   printed nor recorded (the key is in `Authorization`, or in a
//!   subprotocol for browsers).
//! - Messages: each one is forwarded as soon as it is read, in both
//!   directions at once, unchanged: a text message's bytes are the bytes
//!   the peer sent (a fragmented message arrives whole, as one frame),
//!   binary, ping, pong and close messages too. Nothing is held beyond the
//!   message in flight.
//! - Judging: each data message is judged in its direction's family
//!   (`RealtimeClientEvent` from the client, `RealtimeServerEvent` from the
//!   server) and fed to the connection's [`Tracker`], whose findings are
//!   reported as they arise ([`Note::Finding`]).
//!
//! `ws://` upstreams only: `wss://` needs tokio-tungstenite's TLS feature
//! (`rustls-tls-webpki-roots` or `native-tls`), which this build leaves out.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue, Uri};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use crate::capture::{self, Payload};
use crate::check::verdict::NO_TYPE;
use crate::events::Family;
use crate::protocol::track::{StateFinding, Tracker};

/// The most bytes of a handshake request the proxy reads.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How long a client has to send its handshake, and the upstream to answer.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// How long the other direction may go on once one has closed.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// Request headers that belong to one hop and are not forwarded.
const HOP_HEADERS: &[&str] = &[
    "host",
    "connection",
    "upgrade",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
    "sec-websocket-accept",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "te",
    "trailer",
    "proxy-authorization",
    "proxy-connection",
];

/// Where a capture goes.
pub type Recorder = Arc<Mutex<Box<dyn Write + Send>>>;

/// Receives what the proxy has to say, from its connection tasks.
pub type OnNote = Arc<dyn Fn(&Note) + Send + Sync>;

/// The proxy's settings.
#[derive(Clone)]
pub struct Config {
    /// The address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The server, e.g. `ws://127.0.0.1:8080/v1/realtime` or `ws://host:port`
    /// (the client's path is used when the URL has none).
    pub upstream: String,
    /// Writes the capture, one line per message.
    pub record: Option<Recorder>,
    /// Receives each note.
    pub on_note: Option<OnNote>,
    /// The largest message either side may send.
    pub max_message_bytes: usize,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("upstream", &self.upstream)
            .field("record", &self.record.is_some())
            .field("max_message_bytes", &self.max_message_bytes)
            .finish_non_exhaustive()
    }
}

/// One thing found wrong with a message as it passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveFinding {
    /// The connection's number (1 for the first).
    pub connection: u64,
    /// The finding; its `at` is the message's number on the connection,
    /// both directions counted.
    pub finding: StateFinding,
}

impl fmt::Display for LiveFinding {
    /// `connection 1 frame 12 server response.done: error[rule] /pointer: message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = &self.finding;
        write!(
            f,
            "connection {} frame {} {} {}: {finding}",
            self.connection,
            finding.at,
            finding.direction.as_str(),
            finding.event_type.as_deref().unwrap_or(NO_TYPE),
        )
    }
}

/// What the proxy reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A client connected and the upstream accepted it.
    Opened {
        /// The connection's number.
        connection: u64,
        /// The client's address.
        peer: SocketAddr,
        /// The upstream request target (no header, no key).
        upstream: String,
    },
    /// The upstream refused the handshake, or could not be reached; the
    /// client got the status.
    Refused {
        /// The connection's number.
        connection: u64,
        /// The HTTP status the client got.
        status: u16,
        /// Why, in one line.
        reason: String,
    },
    /// Something wrong with a message.
    Finding(LiveFinding),
    /// A connection ended.
    Closed {
        /// The connection's number.
        connection: u64,
        /// Messages from the client.
        client_frames: u64,
        /// Messages from the server.
        server_frames: u64,
        /// Findings reported on it.
        findings: u64,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Opened {
                connection,
                peer,
                upstream,
            } => write!(f, "connection {connection} ({peer}) opened to {upstream}"),
            Note::Refused {
                connection,
                status,
                reason,
            } => write!(f, "connection {connection} refused ({status}): {reason}"),
            Note::Finding(finding) => finding.fmt(f),
            Note::Closed {
                connection,
                client_frames,
                server_frames,
                findings,
            } => write!(
                f,
                "connection {connection} closed: {client_frames} client frames, \
                 {server_frames} server frames, {findings} findings"
            ),
        }
    }
}

/// A bound proxy, ready to [`run`](Proxy::run).
pub struct Proxy {
    listener: TcpListener,
    upstream: Uri,
    config: Arc<Config>,
}

/// Why the proxy cannot start.
#[derive(Debug)]
pub enum ProxyError {
    /// The upstream URL is not one the proxy can reach.
    Upstream(String),
    /// Binding the listening socket failed.
    Io(io::Error),
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::Upstream(why) => write!(f, "--upstream: {why}"),
            ProxyError::Io(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for ProxyError {}

/// Checks an upstream URL: `ws://HOST[:PORT][/PATH][?QUERY]`.
pub fn parse_upstream(url: &str) -> Result<Uri, String> {
    let uri: Uri = url
        .parse()
        .map_err(|err| format!("`{url}` is not a URL: {err}"))?;
    match uri.scheme_str() {
        Some("ws") => {}
        Some("wss") => {
            return Err(format!(
                "`{url}`: wss:// needs TLS, which this build of realtime-harness leaves out \
                 (tokio-tungstenite's `rustls-tls-webpki-roots` or `native-tls` feature); \
                 use a ws:// upstream"
            ))
        }
        _ => return Err(format!("`{url}`: expected a ws:// URL")),
    }
    if uri.host().is_none() {
        return Err(format!("`{url}`: expected a host"));
    }
    Ok(uri)
}

/// The upstream target for a client's request target: the upstream's path
/// when it has one, else the client's; both queries, the upstream's first.
pub fn upstream_target(upstream: &Uri, client_target: &str) -> String {
    let (client_path, client_query) = client_target.split_once('?').unwrap_or((client_target, ""));
    let path = match upstream.path() {
        "" | "/" => client_path,
        path => path,
    };
    let query: Vec<&str> = [upstream.query().unwrap_or_default(), client_query]
        .into_iter()
        .filter(|q| !q.is_empty())
        .collect();
    let authority = upstream.authority().map_or("", |a| a.as_str());
    let mut target = format!("ws://{authority}{path}");
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query.join("&"));
    }
    target
}

impl Proxy {
    /// Checks the upstream URL and binds the listening socket.
    pub async fn bind(config: Config) -> Result<Proxy, ProxyError> {
        let upstream = parse_upstream(&config.upstream).map_err(ProxyError::Upstream)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(ProxyError::Io)?;
        Ok(Proxy {
            listener,
            upstream,
            config: Arc::new(config),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Proxies until `shutdown` completes; connections in flight are dropped then.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> io::Result<()> {
        let counter = AtomicU64::new(0);
        let mut tasks = tokio::task::JoinSet::new();
        let upstream = Arc::new(self.upstream);
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => {
                    let Ok((stream, peer)) = accepted else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    };
                    let number = counter.fetch_add(1, Ordering::Relaxed) + 1;
                    let config = Arc::clone(&self.config);
                    let upstream = Arc::clone(&upstream);
                    tasks.spawn(async move {
                        let _ = connection(stream, peer, number, &upstream, &config).await;
                    });
                }
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        tasks.abort_all();
        Ok(())
    }
}

/// A parsed handshake request: its target, its headers, and any bytes
/// read past its end.
struct Head {
    target: String,
    headers: Vec<(String, String)>,
    rest: Vec<u8>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the request head (up to the blank line) of an HTTP/1.1 upgrade.
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Result<Head, String> {
    let mut buf = Vec::with_capacity(2048);
    let end = loop {
        if let Some(at) = memchr::memmem::find(&buf, b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(format!("request head over {MAX_HEAD_BYTES} bytes"));
        }
        let mut chunk = [0u8; 4096];
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("reading the request: {e}"))?;
        if n == 0 {
            return Err("the client closed before its request was complete".to_owned());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| "request head is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some("GET"), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "expected `GET TARGET HTTP/1.1`, found `{}`",
            request_line.chars().take(80).collect::<String>()
        ));
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err("expected `GET /PATH HTTP/1.1`".to_owned());
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| "a header line without `:`".to_owned())?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(Head {
        target: target.to_owned(),
        headers,
        rest: buf[end + 4..].to_vec(),
    })
}

/// Writes a plain HTTP response and gives up the connection.
async fn respond<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    let reason = tokio_tungstenite::tungstenite::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

/// An OpenAI-style JSON error body.
fn error_body(code: &str, message: &str) -> Vec<u8> {
    serde_json::json!({
        "error": {"message": message, "type": "invalid_request_error", "param": null, "code": code}
    })
    .to_string()
    .into_bytes()
}

fn ws_config(max: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(max))
        .max_frame_size(Some(max))
}

/// One connection: handshake both ways, then the relay.
async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    number: u64,
    upstream: &Uri,
    config: &Config,
) -> io::Result<()> {
    let _ = stream.set_nodelay(true);
    let note = |note: Note| {
        if let Some(on_note) = &config.on_note {
            on_note(&note);
        }
    };
    let refuse = |status: u16, reason: String| Note::Refused {
        connection: number,
        status,
        reason,
    };
    let head = match timeout(HANDSHAKE_TIMEOUT, read_head(&mut stream)).await {
        Ok(Ok(head)) => head,
        Ok(Err(why)) => {
            let body = error_body("invalid_request", &why);
            note(refuse(400, why));
            return respond(&mut stream, 400, "application/json", &body).await;
        }
        Err(_) => return Ok(()),
    };
    let Some(key) = head
        .header("sec-websocket-key")
        .filter(|_| {
            head.header("upgrade")
                .is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
        })
        .map(str::to_owned)
    else {
        let why = "not a WebSocket upgrade (no `Upgrade: websocket` with a `Sec-WebSocket-Key`)";
        note(refuse(400, why.to_owned()));
        let body = error_body("invalid_request", why);
        return respond(&mut stream, 400, "application/json", &body).await;
    };
    let target = upstream_target(upstream, &head.target);
    let mut request = match target.as_str().into_client_request() {
        Ok(request) => request,
        Err(err) => {
            let why = format!("the upstream target is not a URL: {err}");
            note(refuse(400, why.clone()));
            let body = error_body("invalid_request", &why);
            return respond(&mut stream, 400, "application/json", &body).await;
        }
    };
    for (name, value) in &head.headers {
        if HOP_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            request.headers_mut().append(name, value);
        }
    }
    let connect = tokio_tungstenite::connect_async_with_config(
        request,
        Some(ws_config(config.max_message_bytes)),
        true,
    );
    let (upstream_ws, response) = match timeout(HANDSHAKE_TIMEOUT, connect).await {
        Ok(Ok(pair)) => pair,
        Ok(Err(WsError::Http(response))) => {
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/json")
                .to_owned();
            note(refuse(
                status,
                "the upstream refused the handshake".to_owned(),
            ));
            let body = response.into_body().unwrap_or_default();
            return respond(&mut stream, status, &content_type, &body).await;
        }
        Ok(Err(err)) => {
            let why = format!("the upstream could not be reached: {err}");
            note(refuse(502, why.clone()));
            let body = error_body("bad_gateway", &why);
            return respond(&mut stream, 502, "application/json", &body).await;
        }
        Err(_) => {
            let why = "the upstream did not answer the handshake in time".to_owned();
            note(refuse(504, why.clone()));
            let body = error_body("gateway_timeout", &why);
            return respond(&mut stream, 504, "application/json", &body).await;
        }
    };
    let mut accept = format!(
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: {}\r\n",
        derive_accept_key(key.as_bytes())
    );
    for (name, value) in response.headers() {
        if HOP_HEADERS.contains(&name.as_str()) {
            continue;
        }
        if let Ok(value) = value.to_str() {
            accept.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    accept.push_str("\r\n");
    stream.write_all(accept.as_bytes()).await?;
    let client_ws = WebSocketStream::from_partially_read(
        stream,
        head.rest,
        Role::Server,
        Some(ws_config(config.max_message_bytes)),
    )
    .await;
    note(Note::Opened {
        connection: number,
        peer,
        upstream: target.split('?').next().unwrap_or_default().to_owned(),
    });
    let onlooker = Arc::new(Onlooker {
        connection: number,
        record: config.record.clone(),
        on_note: config.on_note.clone(),
        state: Mutex::new(OnlookerState::default()),
    });
    let (client_tx, client_rx) = client_ws.split();
    let (upstream_tx, upstream_rx) = upstream_ws.split();
    let from_client = pump(client_rx, upstream_tx, Family::Client, &onlooker);
    let from_server = pump(upstream_rx, client_tx, Family::Server, &onlooker);
    tokio::pin!(from_client, from_server);
    // When one direction ends (a close, a dropped socket), the other gets a
    // moment to carry the close handshake through.
    tokio::select! {
        _ = &mut from_client => { let _ = timeout(CLOSE_GRACE, &mut from_server).await; }
        _ = &mut from_server => { let _ = timeout(CLOSE_GRACE, &mut from_client).await; }
    }
    onlooker.finish();
    Ok(())
}

/// Forwards one direction's messages, each as soon as it is read.
async fn pump<S, T>(
    mut from: SplitStream<WebSocketStream<S>>,
    mut to: SplitSink<WebSocketStream<T>, Message>,
    direction: Family,
    onlooker: &Onlooker,
) -> Result<(), WsError>
where
    S: AsyncRead + AsyncWrite + Unpin,
    T: AsyncRead + AsyncWrite + Unpin,
{
    while let Some(message) = from.next().await {
        let message = message?;
        let close = matches!(message, Message::Close(_));
        // A message's payload is reference-counted: the clone copies no bytes.
        to.send(message.clone()).await?;
        onlooker.observe(direction, &message);
        if close {
            break;
        }
    }
    Ok(())
}

#[derive(Default)]
struct OnlookerState {
    tracker: Tracker,
    frames: u64,
    client_frames: u64,
    server_frames: u64,
    findings: u64,
}

/// One connection's judge and recorder, shared by its two directions so
/// that the capture and the tracker see one order.
struct Onlooker {
    connection: u64,
    record: Option<Recorder>,
    on_note: Option<OnNote>,
    state: Mutex<OnlookerState>,
}

impl Onlooker {
    fn observe(&self, direction: Family, message: &Message) {
        let payload = match message {
            Message::Text(text) => Payload::Text(Cow::Borrowed(text.as_str())),
            Message::Binary(bytes) => Payload::Binary(bytes.to_vec()),
            Message::Close(frame) => Payload::Close {
                code: frame.as_ref().map(|f| u16::from(f.code)),
                reason: frame
                    .as_ref()
                    .map(|f| f.reason.as_str().to_owned())
                    .unwrap_or_default(),
            },
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return,
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.frames += 1;
        match direction {
            Family::Client => state.client_frames += 1,
            Family::Server => state.server_frames += 1,
        }
        let at = state.frames;
        if let Some(record) = &self.record {
            let mut out = record.lock().unwrap_or_else(|e| e.into_inner());
            // A full disk stops the capture, not the session.
            let _ = capture::write_line(
                &mut *out,
                SystemTime::now(),
                self.connection,
                direction,
                &payload,
            )
            .and_then(|()| out.flush());
        }
        let found: Vec<LiveFinding> = state
            .tracker
            .observe(at, direction, &payload)
            .into_findings(at, direction)
            .into_iter()
            .map(|finding| self.live(finding))
            .collect();
        state.findings += found.len() as u64;
        drop(state);
        self.tell(found);
    }

    fn live(&self, finding: StateFinding) -> LiveFinding {
        LiveFinding {
            connection: self.connection,
            finding,
        }
    }

    fn tell(&self, found: Vec<LiveFinding>) {
        if let Some(on_note) = &self.on_note {
            for finding in found {
                on_note(&Note::Finding(finding));
            }
        }
    }

    /// The connection is over: what only its end shows, and the summary.
    fn finish(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut ended = Vec::new();
        state.tracker.finish(&mut ended);
        let found: Vec<LiveFinding> = ended.into_iter().map(|f| self.live(f)).collect();
        state.findings += found.len() as u64;
        let closed = Note::Closed {
            connection: self.connection,
            client_frames: state.client_frames,
            server_frames: state.server_frames,
            findings: state.findings,
        };
        drop(state);
        self.tell(found);
        if let Some(on_note) = &self.on_note {
            on_note(&closed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_targets_keep_the_clients_path_and_query() {
        let bare = parse_upstream("ws://127.0.0.1:9/").unwrap();
        assert_eq!(
            upstream_target(&bare, "/v1/realtime?model=gpt-realtime"),
            "ws://127.0.0.1:9/v1/realtime?model=gpt-realtime"
        );
        let full = parse_upstream("ws://h:1/v1/realtime?intent=x").unwrap();
        assert_eq!(
            upstream_target(&full, "/other?model=m"),
            "ws://h:1/v1/realtime?intent=x&model=m"
        );
        assert_eq!(upstream_target(&full, "/"), "ws://h:1/v1/realtime?intent=x");
    }

    #[test]
    fn only_ws_upstreams_are_accepted() {
        assert!(parse_upstream("wss://api.example/v1/realtime")
            .unwrap_err()
            .contains("TLS"));
        assert!(parse_upstream("http://h/").is_err());
        assert!(parse_upstream("not a url").is_err());
    }
}
