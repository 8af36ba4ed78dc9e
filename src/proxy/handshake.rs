//! One connection through the proxy: the client's handshake read by hand
//! (so that its headers and target can go upstream), the upstream's
//! handshake, the client's `101` carrying the upstream's answer, then the
//! [`relay`](super::relay) until either side ends.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::http::Uri;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::WebSocketStream;

use super::relay::{pump, Onlooker};
use super::upstream::{self, is_hop_header, upstream_target};
use super::{Config, Note};
use crate::events::Family;
use crate::tls::Tls;

/// The most bytes of a handshake request the proxy reads.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How long a client has to send its handshake, and the upstream to answer.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// How long the other direction may go on once one has closed.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

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
pub(super) async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    number: u64,
    upstream: &Uri,
    tls: &Tls,
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
    let request = match upstream::request(&target, &head.headers) {
        Ok(request) => request,
        Err(why) => {
            note(refuse(400, why.clone()));
            let body = error_body("invalid_request", &why);
            return respond(&mut stream, 400, "application/json", &body).await;
        }
    };
    let connect = tls.connect(request, ws_config(config.max_message_bytes));
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
        if is_hop_header(name.as_str()) {
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
    let onlooker = Arc::new(Onlooker::new(number, config));
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
