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
//!   server) and fed to the connection's [`Tracker`](crate::protocol::track::Tracker), whose findings are
//!   reported as they arise ([`Note::Finding`]).
//!
//! - Upstreams: `ws://` or `wss://` ([`upstream`]); `wss://` trusts the
//!   webpki roots and the certificates of `--upstream-ca` ([`Tls`]).
//!
//! The files: `handshake` (one connection: both handshakes, then the
//! relay), `upstream` (the upstream URL, target and request), `relay`
//! (the two directions, and the onlooker that records and judges).

mod handshake;
mod relay;
pub mod upstream;

use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::http::Uri;

use crate::check::verdict::NO_TYPE;
use crate::protocol::track::StateFinding;
use crate::tls::Tls;
pub use upstream::{parse_upstream, upstream_target};

/// Where a capture goes.
pub type Recorder = Arc<Mutex<Box<dyn Write + Send>>>;

/// Receives what the proxy has to say, from its connection tasks.
pub type OnNote = Arc<dyn Fn(&Note) + Send + Sync>;

/// The proxy's settings.
#[derive(Clone)]
pub struct Config {
    /// The address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The server, e.g. `ws://127.0.0.1:8080/v1/realtime`, `ws://host:port`
    /// or `wss://api.openai.com/v1/realtime` (the client's path is used when
    /// the URL has none).
    pub upstream: String,
    /// A PEM file of certificates a `wss://` upstream may chain to, besides
    /// the webpki roots (a private authority, a test server's own).
    pub upstream_ca: Option<PathBuf>,
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
            .field("upstream_ca", &self.upstream_ca)
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
    tls: Tls,
    config: Arc<Config>,
}

/// Why the proxy cannot start.
#[derive(Debug)]
pub enum ProxyError {
    /// The upstream URL is not one the proxy can reach.
    Upstream(String),
    /// The `--upstream-ca` file cannot be read or holds no certificate.
    UpstreamCa(String),
    /// Binding the listening socket failed.
    Io(io::Error),
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::Upstream(why) => write!(f, "--upstream: {why}"),
            ProxyError::UpstreamCa(why) => write!(f, "--upstream-ca: {why}"),
            ProxyError::Io(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for ProxyError {}

impl Proxy {
    /// Checks the upstream URL, reads `upstream_ca`, and binds the
    /// listening socket.
    pub async fn bind(config: Config) -> Result<Proxy, ProxyError> {
        let upstream = parse_upstream(&config.upstream).map_err(ProxyError::Upstream)?;
        let tls = Tls::new(config.upstream_ca.as_deref()).map_err(ProxyError::UpstreamCa)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(ProxyError::Io)?;
        Ok(Proxy {
            listener,
            upstream,
            tls,
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
        let upstream = Arc::new((self.upstream, self.tls));
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
                        let (upstream, tls) = &*upstream;
                        let _ = handshake::connection(stream, peer, number, upstream, tls, &config)
                            .await;
                    });
                }
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        tasks.abort_all();
        Ok(())
    }
}
