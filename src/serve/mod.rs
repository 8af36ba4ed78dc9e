//! `realtime-harness serve`: a reference Realtime server on loopback that
//! real SDKs talk to. Each WebSocket connection on `/v1/realtime` runs one
//! [`Machine`], keeps reading client frames
//! while a response streams (response steps are paced by a timer in the
//! same `select!`), and at disconnect reports what the client did wrong.
//!
//! The handshake answers as OpenAI's does: `Authorization: Bearer KEY`
//! checked when a key is configured (HTTP 401 with an OpenAI-style JSON
//! error body otherwise), 404 for other paths; `?model=` names the
//! session's model, `?intent=transcription` makes a transcription session,
//! `?fault=NAME` adds scripted faults ([`fault`]) for that connection.

pub mod fault;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::protocol::errors::ErrorReply;
use crate::protocol::{ClientFinding, Machine, Options, Output};
use crate::ServerEvent;

pub use fault::{Fault, Faults, Flaw, Flaws};

/// The one path the server answers.
pub const PATH: &str = "/v1/realtime";

/// How long a client has to finish the WebSocket handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `session-expiry` lets a session live, before `--speed`.
const EXPIRY_AFTER: Duration = Duration::from_secs(5);

/// How late `slow-start` sends `session.created`, before `--speed`.
const SLOW_START: Duration = Duration::from_secs(3);

/// How long shutdown waits for connections to close.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// What happened on one connection, given to [`Config::on_close`].
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionReport {
    /// The connection's number (1 for the first).
    pub connection: u64,
    /// The client's address.
    pub peer: SocketAddr,
    /// Client frames received.
    pub frames: u64,
    /// Server events sent.
    pub events_sent: u64,
    /// The faults in force.
    pub faults: Faults,
    /// What the client did wrong, in order.
    pub findings: Vec<ClientFinding>,
}

/// Called with each connection's report when it closes.
pub type OnClose = Arc<dyn Fn(&ConnectionReport) + Send + Sync>;

/// The server's settings.
#[derive(Clone)]
pub struct Config {
    /// The address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The bearer key clients must present; `None` accepts any.
    pub api_key: Option<String>,
    /// Responses stream this many times faster than real time.
    pub speed: f64,
    /// Faults for every connection.
    pub faults: Faults,
    /// Spec violations for the probe's mutant tests; empty in real use.
    #[doc(hidden)]
    pub flaws: Flaws,
    /// Text frames larger than this get an `error` unparsed; frames over
    /// twice this close the connection (code 1009), unread.
    pub max_frame_bytes: usize,
    /// Receives each connection's report.
    pub on_close: Option<OnClose>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            api_key: None,
            speed: 1.0,
            faults: Faults::NONE,
            flaws: Flaws::NONE,
            // The largest frame the spec allows (15 MiB of audio, 20 MiB as
            // base64) and 1 MiB for its envelope, as `check` assumes.
            max_frame_bytes: crate::check::MAX_AUDIO_BYTES.div_ceil(3) * 4 + (1 << 20),
            on_close: None,
        }
    }
}

/// `Debug` for a settings struct that holds a bearer key: the listed members
/// as they are and `api_key` as `Some("<set>")` or `None`, so a key never
/// reaches a log or a panic message. The last word is the `DebugStruct`
/// method that ends the list (`finish`, or `finish_non_exhaustive` when
/// members are left out).
macro_rules! debug_hiding_key {
    ($ty:ident { $($before:ident,)* [api_key] $(, $after:ident)* } $finish:ident) => {
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($before), &self.$before))*
                    .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
                    $(.field(stringify!($after), &self.$after))*
                    .$finish()
            }
        }
    };
}
pub(crate) use debug_hiding_key;

// `on_close` is a callback, which has no `Debug`.
debug_hiding_key!(Config { listen, [api_key], speed, faults, flaws, max_frame_bytes } finish_non_exhaustive);

impl Config {
    /// A duration of the response clock in wall time, at `--speed`.
    fn scaled(&self, d: Duration) -> Duration {
        d.div_f64(self.speed.max(1e-3))
    }
}

/// A bound server, ready to [`run`](Server::run).
pub struct Server {
    listener: TcpListener,
    config: Arc<Config>,
}

impl Server {
    /// Binds the listening socket.
    pub async fn bind(config: Config) -> io::Result<Server> {
        let listener = TcpListener::bind(config.listen).await?;
        Ok(Server {
            listener,
            config: Arc::new(config),
        })
    }

    /// The address actually bound (the port chosen when it was 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// `ws://HOST:PORT/v1/realtime`.
    pub fn url(&self) -> io::Result<String> {
        Ok(format!("ws://{}{PATH}", self.local_addr()?))
    }

    /// Serves until `shutdown` completes, then closes every connection
    /// (close code 1001) and returns once they are gone or the grace
    /// period is over.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> io::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let counter = Arc::new(AtomicU64::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(pair) => pair,
                        // Out of descriptors and the like: keep serving the
                        // connections there are.
                        Err(_) => {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            continue;
                        }
                    };
                    let number = counter.fetch_add(1, Ordering::Relaxed) + 1;
                    let config = Arc::clone(&self.config);
                    let stop = stop_rx.clone();
                    tasks.spawn(async move {
                        // A failed handshake or a broken socket ends this
                        // connection only.
                        let _ = connection(stream, peer, number, config, stop).await;
                    });
                }
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        let _ = stop_tx.send(true);
        let _ = timeout(SHUTDOWN_GRACE, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        tasks.abort_all();
        Ok(())
    }
}

/// What the handshake learned from the request.
#[derive(Debug, Default)]
struct Handshake {
    model: Option<String>,
    transcription: bool,
    faults: Faults,
}

/// The OpenAI-style JSON error body of a refused handshake.
fn http_error(status: StatusCode, code: &str, message: &str) -> Box<ErrorResponse> {
    let body = serde_json::json!({
        "error": {"message": message, "type": "invalid_request_error", "param": null, "code": code}
    });
    let mut response = ErrorResponse::new(Some(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        "application/json".parse().expect("a valid header value"),
    );
    Box::new(response)
}

/// Checks the upgrade request: path, key, query.
fn check_request(
    request: &Request,
    api_key: Option<&str>,
    into: &mut Handshake,
) -> Result<(), Box<ErrorResponse>> {
    if request.uri().path() != PATH {
        return Err(http_error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("Invalid URL: the Realtime API is at {PATH}."),
        ));
    }
    if let Some(expected) = api_key {
        let given = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match given {
            Some(given) if given == expected => {}
            Some(_) => {
                return Err(http_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_api_key",
                    "Incorrect API key provided.",
                ))
            }
            None => {
                return Err(http_error(
                    StatusCode::UNAUTHORIZED,
                    "missing_api_key",
                    "You didn't provide an API key. You need to provide your API key in an \
                     Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                ))
            }
        }
    }
    for (key, value) in query_pairs(request.uri().query().unwrap_or_default()) {
        match key.as_str() {
            "model" => into.model = Some(value),
            "intent" => into.transcription = value == "transcription",
            "fault" => {
                for name in value.split(',').filter(|n| !n.is_empty()) {
                    let fault = name.parse::<Fault>().map_err(|err| {
                        http_error(StatusCode::BAD_REQUEST, "invalid_fault", &err.to_string())
                    })?;
                    into.faults.insert(fault);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `a=1&b=x%20y` as decoded pairs.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? << 4 | hex(bytes[i + 2])?))
            .flatten();
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The connection's socket and what it has sent.
struct Link {
    ws: WebSocketStream<TcpStream>,
    shaper: fault::Shaper,
    events_sent: u64,
    faults: Faults,
    /// Set once a response delta went out (for `abrupt-close`).
    delta_sent: bool,
}

impl Link {
    /// Sends the events of `out` (shaped by the faults) in one flush.
    async fn send(&mut self, machine: &mut Machine, out: &mut Output) -> io::Result<()> {
        self.shaper.shape(&mut out.events, || machine.event_id());
        for event in out.events.drain(..) {
            // Legacy names included: any `response.*.delta`.
            let kind = event.wire_type();
            self.delta_sent |= kind.starts_with("response.") && kind.ends_with(".delta");
            let text = String::from_utf8(event.to_vec()).expect("serde_json writes UTF-8");
            self.ws
                .feed(Message::text(text))
                .await
                .map_err(io::Error::other)?;
            self.events_sent += 1;
        }
        self.ws.flush().await.map_err(io::Error::other)
    }

    /// Whether `abrupt-close` should drop the connection now.
    fn abrupt_now(&self) -> bool {
        self.faults.has(Fault::AbruptClose) && self.delta_sent
    }

    async fn close(&mut self, code: CloseCode, reason: &str) {
        let _ = self
            .ws
            .close(Some(CloseFrame {
                code,
                reason: reason.to_owned().into(),
            }))
            .await;
    }
}

/// One connection, from handshake to report.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    number: u64,
    config: Arc<Config>,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let _ = stream.set_nodelay(true);
    let mut handshake = Handshake::default();
    let api_key = config.api_key.clone();
    // The return type is tungstenite's `Callback` signature.
    #[allow(clippy::result_large_err)]
    let callback = |request: &Request, response: Response| {
        check_request(request, api_key.as_deref(), &mut handshake)
            .map(|()| response)
            .map_err(|refusal| *refusal)
    };
    // Frames up to twice the limit are read and answered with an `error`;
    // only beyond that does the WebSocket layer give up on the connection.
    let hard_limit = config.max_frame_bytes.saturating_mul(2);
    // Small socket buffers: the default 128 KiB each way is 50 MiB at 200
    // sessions, for frames that are mostly a few KiB.
    let ws_config = WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .write_buffer_size(16 * 1024)
        .max_message_size(Some(hard_limit))
        .max_frame_size(Some(hard_limit));
    let ws = timeout(
        HANDSHAKE_TIMEOUT,
        tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(ws_config)),
    )
    .await
    .map_err(io::Error::other)?
    .map_err(io::Error::other)?;
    let faults = config.faults.union(handshake.faults);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut machine = Machine::new(Options {
        model: handshake
            .model
            .unwrap_or_else(|| crate::protocol::session::DEFAULT_MODEL.to_owned()),
        transcription: handshake.transcription,
        now_unix: now,
        id_tag: id_tag(number),
        min_audio_delta_bytes: if faults.has(Fault::LargeAudioDeltas) {
            64 * 1024
        } else {
            0
        },
        fail_responses: faults.has(Fault::ErrorWithoutResponseDone),
        ..Options::default()
    });
    let mut link = Link {
        ws,
        shaper: fault::Shaper::new(faults, config.flaws),
        events_sent: 0,
        faults,
        delta_sent: false,
    };
    let mut findings = Vec::new();
    let result = session(&mut link, &mut machine, &config, &mut findings, &mut stop).await;
    if let Some(on_close) = &config.on_close {
        on_close(&ConnectionReport {
            connection: number,
            peer,
            frames: machine.frames(),
            events_sent: link.events_sent,
            faults,
            findings,
        });
    }
    result
}

/// A short, unique tag for a connection's ids: base 36 of its number.
fn id_tag(number: u64) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut n = number;
    let mut tag = Vec::new();
    loop {
        tag.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    tag.reverse();
    String::from_utf8(tag).expect("ASCII digits")
}

/// What one read from the client brought.
enum Incoming {
    Frame(Message),
    /// A frame over the hard limit: the WebSocket layer stopped reading.
    TooBig,
    Closed,
}

async fn read(link: &mut Link) -> Incoming {
    use tokio_tungstenite::tungstenite::Error;
    match link.ws.next().await {
        Some(Err(Error::Capacity(_))) => Incoming::TooBig,
        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => Incoming::Closed,
        Some(Ok(message)) => Incoming::Frame(message),
    }
}

/// `truncate-confirms-anything`: the confirmation of any truncate, made
/// without asking the machine.
fn flawed_truncate(
    flaws: Flaws,
    message: &Message,
    limit: usize,
) -> Option<impl FnOnce(String) -> ServerEvent> {
    let Message::Text(text) = message else {
        return None;
    };
    if !flaws.has(Flaw::TruncateConfirmsAnything)
        || text.len() > limit
        || !text.contains("conversation.item.truncate")
    {
        return None;
    }
    match crate::ClientEvent::from_slice(text.as_bytes()) {
        Ok(crate::ClientEvent::ConversationItemTruncate {
            item_id,
            content_index,
            audio_end_ms,
            ..
        }) => Some(move |id| {
            ServerEvent::conversation_item_truncated(id, item_id, content_index, audio_end_ms)
        }),
        _ => None,
    }
}

/// Hands one client frame to the machine.
fn receive(
    machine: &mut Machine,
    message: Message,
    (limit, flaws): (usize, Flaws),
    early: bool,
    out: &mut Output,
) {
    if let Some(event) = flawed_truncate(flaws, &message, limit) {
        out.events.push(event(machine.event_id()));
        return;
    }
    match message {
        Message::Text(text) if text.len() > limit => {
            machine.receive_oversize(text.as_bytes(), limit, out)
        }
        Message::Text(text) if early => machine.receive_early(text.as_bytes(), out),
        Message::Text(text) => machine.receive_text(text.as_bytes(), out),
        Message::Binary(bytes) => machine.receive_binary(bytes.len(), out),
        // Pings are answered by the WebSocket layer; pongs need nothing.
        Message::Ping(_) | Message::Pong(_) | Message::Frame(_) | Message::Close(_) => {}
    }
}

/// The session loop: reads frames, paces the response, applies the
/// timed faults.
async fn session(
    link: &mut Link,
    machine: &mut Machine,
    config: &Config,
    findings: &mut Vec<ClientFinding>,
    stop: &mut watch::Receiver<bool>,
) -> io::Result<()> {
    let limit = config.max_frame_bytes;
    let mut out = Output::default();
    let started = Instant::now();

    if link.faults.has(Fault::SlowStart) {
        // Hold what the client sends before `session.created` exists.
        let ready = started + config.scaled(SLOW_START);
        let mut held = Vec::new();
        loop {
            tokio::select! {
                () = sleep_until(ready) => break,
                incoming = read(link) => match incoming {
                    Incoming::Frame(message) => held.push(message),
                    Incoming::TooBig => {
                        link.close(CloseCode::Size, "frame too large").await;
                        return Ok(());
                    }
                    Incoming::Closed => return Ok(()),
                },
            }
        }
        machine.start(&mut out);
        for message in held {
            receive(machine, message, (limit, config.flaws), true, &mut out);
        }
    } else {
        machine.start(&mut out);
    }
    let expiry = link
        .faults
        .has(Fault::SessionExpiry)
        .then(|| Instant::now() + config.scaled(EXPIRY_AFTER));
    let mut next_step: Option<Instant> = None;
    loop {
        // A response just created streams its first slice at once: the
        // time to first audio is the server's processing time only.
        if machine.active_response().is_none() {
            next_step = None;
        } else if next_step.is_none() {
            let wait = machine.advance(&mut out);
            next_step = wait.map(|ms| Instant::now() + config.scaled(Duration::from_millis(ms)));
        }
        findings.append(&mut out.findings);
        link.send(machine, &mut out).await?;
        if link.abrupt_now() {
            // RST instead of FIN, and no close frame: the connection just dies.
            let _ = link.ws.get_ref().set_zero_linger();
            return Ok(());
        }
        let step_at = next_step.unwrap_or_else(Instant::now);
        let expire_at = expiry.unwrap_or_else(Instant::now);
        tokio::select! {
            incoming = read(link) => match incoming {
                Incoming::Frame(message) => {
                    receive(machine, message, (limit, config.flaws), false, &mut out)
                }
                Incoming::TooBig => {
                    link.close(CloseCode::Size, "frame too large").await;
                    return Ok(());
                }
                Incoming::Closed => {
                    // Sends the close frame tungstenite queued in reply to
                    // the client's (RFC 6455 §5.5.1), if the peer sent one.
                    let _ = link.ws.flush().await;
                    return Ok(());
                }
            },
            () = sleep_until(step_at), if next_step.is_some() => {
                let wait = machine.advance(&mut out);
                next_step = wait.map(|ms| step_at + config.scaled(Duration::from_millis(ms)));
            }
            () = sleep_until(expire_at), if expiry.is_some() => {
                let reply = ErrorReply::invalid(
                    "session_expired",
                    "Your session hit the maximum duration of 60 minutes.",
                    None,
                );
                out.events.push(ServerEvent::error(machine.event_id(), Box::new(reply.details(None))));
                link.send(machine, &mut out).await?;
                link.close(CloseCode::Away, "session expired").await;
                return Ok(());
            }
            _ = stop.changed() => {
                link.close(CloseCode::Away, "server shutting down").await;
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode() {
        assert_eq!(
            query_pairs("model=gpt-realtime&fault=slow-start%2Cabrupt-close&x"),
            [
                ("model".to_owned(), "gpt-realtime".to_owned()),
                ("fault".to_owned(), "slow-start,abrupt-close".to_owned()),
                ("x".to_owned(), String::new()),
            ]
        );
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn debug_shows_that_a_key_is_set_but_not_the_key() {
        let config = Config {
            api_key: Some("sk-secret".to_owned()),
            ..Config::default()
        };
        let text = format!("{config:?}");
        assert!(
            text.starts_with(
                "Config { listen: 127.0.0.1:8080, api_key: Some(\"<set>\"), speed: 1.0,"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(", .. }") && !text.contains("sk-secret"),
            "{text}"
        );
    }

    #[test]
    fn id_tags_are_unique_and_short() {
        assert_eq!(id_tag(1), "1");
        assert_eq!(id_tag(36), "10");
        assert_ne!(id_tag(35), id_tag(36));
    }
}
