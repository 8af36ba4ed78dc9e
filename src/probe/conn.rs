//! One WebSocket connection of a case (`ws://` or `wss://`): it sends
//! client frames, receives server events, judges each received frame on
//! arrival (the model, the checker and the schema oracle: [`Judged`]),
//! feeds both directions to a [`Tracker`] (the stateful rules `check` and
//! `proxy` apply) and writes them to the case's transcript with audio
//! elided.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use super::report::{Direction, Exchange};
use super::Target;
use crate::check::verdict::{judge, Outcome};
use crate::events::Family;
use crate::protocol::track::{StateFinding, Tracker};
use crate::tls::ClientStream;

/// Members whose string value is audio: elided in transcripts.
const AUDIO_MEMBERS: &[&str] = &["audio", "delta"];

/// Audio strings longer than this are elided in transcripts.
const ELIDE_AT: usize = 48;

/// The transcript a case's connections write to.
pub(crate) type Transcript = Arc<Mutex<TranscriptLog>>;

/// Frames in both directions, in order, timed from the case's start.
#[derive(Debug)]
pub(crate) struct TranscriptLog {
    pub started: Instant,
    pub exchanges: Vec<Exchange>,
}

impl TranscriptLog {
    pub fn new() -> Transcript {
        Arc::new(Mutex::new(TranscriptLog {
            started: Instant::now(),
            exchanges: Vec::new(),
        }))
    }
}

fn log(transcript: &Transcript, connection: u32, direction: Direction, frame: String) -> usize {
    let mut log = transcript.lock().unwrap_or_else(|e| e.into_inner());
    let at_ms = log.started.elapsed().as_secs_f64() * 1000.0;
    log.exchanges.push(Exchange {
        connection,
        direction,
        at_ms,
        frame,
        remarks: Vec::new(),
    });
    log.exchanges.len() - 1
}

fn remark(transcript: &Transcript, index: usize, remarks: Vec<String>) {
    let mut log = transcript.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(exchange) = log.exchanges.get_mut(index) {
        exchange.remarks = remarks;
    }
}

/// A frame for a transcript: audio members longer than a few bytes become
/// `<N base64 chars>`.
pub fn elide(value: &Value) -> String {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(members) => {
                for (name, member) in members.iter_mut() {
                    match member {
                        Value::String(text)
                            if AUDIO_MEMBERS.contains(&name.as_str()) && text.len() > ELIDE_AT =>
                        {
                            *text = format!("<{} base64 chars>", text.len());
                        }
                        _ => walk(member),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut copy = value.clone();
    walk(&mut copy);
    copy.to_string()
}

/// A text frame for a transcript: JSON elided, other text cut short.
fn elide_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => elide(&value),
        Err(_) if text.len() > 200 => {
            let mut end = 200;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}… ({} bytes, not JSON)", &text[..end], text.len())
        }
        Err(_) => text.to_owned(),
    }
}

/// A received server event and what the harness thinks of it.
#[derive(Clone, Debug)]
pub struct Judged {
    /// The frame as JSON (`Value::Null` when it is not JSON).
    pub value: Value,
    /// Its `type`, or empty.
    pub kind: String,
    /// When it arrived.
    pub at: Instant,
    /// The frame parsed as a `ServerEvent` (the model's verdict).
    pub parses: bool,
    /// The model's and the checker's errors (rule ids and pointers).
    pub check_errors: Vec<String>,
    /// The `type` is not a GA server event (legacy or unknown).
    pub not_ga: bool,
    /// Violations of the official schema (`RealtimeServerEvent`).
    pub schema_errors: Vec<String>,
}

impl Judged {
    fn of(text: &str) -> Judged {
        let verdict = judge(text.as_bytes(), Some(Family::Server));
        let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let kind = value["type"].as_str().unwrap_or_default().to_owned();
        let mut check_errors = Vec::new();
        if let Some(error) = &verdict.error {
            check_errors.push(format!("not a server event: {}", error.message));
        }
        for finding in verdict.report.errors() {
            check_errors.push(brief(&format!(
                "{} at {}: {}",
                finding.rule.id(),
                if finding.pointer.is_empty() {
                    "/"
                } else {
                    &finding.pointer
                },
                finding.message
            )));
        }
        let schema_errors = match crate::schema::SchemaOracle::shared_server() {
            Ok(oracle) if !value.is_null() => match oracle.validate_ga(&value) {
                Ok(()) => Vec::new(),
                Err(violations) => violations.iter().map(|v| brief(&v.to_string())).collect(),
            },
            Ok(_) => vec!["not JSON".to_owned()],
            Err(err) => vec![format!("the schema oracle is unavailable: {err}")],
        };
        Judged {
            parses: verdict.error.is_none(),
            not_ga: verdict.outcome == Outcome::UnknownType,
            value,
            kind,
            at: Instant::now(),
            check_errors,
            schema_errors,
        }
    }

    /// Everything wrong with the frame, in one list.
    pub fn problems(&self) -> Vec<String> {
        let mut all = self.check_errors.clone();
        all.extend(self.schema_errors.iter().map(|v| format!("schema: {v}")));
        all
    }
}

/// A message cut to a readable length (the schema lists every event type
/// when a `type` matches none).
pub fn brief(message: &str) -> String {
    const MAX: usize = 240;
    match message.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_owned(),
    }
}

impl Judged {
    /// `error.event_id` of an `error` event.
    pub fn error_event_id(&self) -> Option<&str> {
        self.value["error"]["event_id"].as_str()
    }
}

/// Why a handshake was refused.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// The HTTP status, when the server answered with one.
    pub status: Option<u16>,
    /// The body, as text.
    pub body: String,
    /// What failed, for people.
    pub message: String,
}

/// How the handshake authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer` with the target's key, when it has one.
    Key,
    /// No `Authorization` header.
    None,
    /// A key that is not the target's.
    Wrong,
}

/// What one read brought.
#[derive(Debug)]
pub enum Incoming {
    /// A text frame.
    Event(Box<Judged>),
    /// A binary frame of this many bytes.
    Binary(usize),
    /// A pong.
    Pong,
    /// The server closed the connection (its close code, if any).
    Closed(Option<u16>),
    /// Nothing within the wait.
    Timeout,
}

/// One connection.
pub struct Conn {
    ws: ClientStream,
    transcript: Transcript,
    number: u32,
    next_id: u32,
    /// The case's id, in the event ids the probe makes.
    tag: String,
    /// How long a wait lasts by default.
    pub wait: Duration,
    /// Set once the server closed (with its code).
    pub closed: Option<Option<u16>>,
    /// Every event received, in order.
    pub received: Vec<Judged>,
    /// The connection's state, fed every text frame both ways.
    tracker: Tracker,
    /// Text and binary frames so far, both directions: the `at` of
    /// [`StateFinding`]s.
    frames: u64,
    /// What the tracker found so far.
    found: Vec<StateFinding>,
}

/// Opens `target` (with `path` in place of the URL's path when given).
pub(crate) async fn open(
    target: &Target,
    auth: Auth,
    path: Option<&str>,
    transcript: &Transcript,
    number: u32,
    tag: &str,
) -> Result<Conn, Refusal> {
    let mut url = target.url.clone();
    if let Some(path) = path {
        if let Some(scheme_end) = url.find("://") {
            let rest = &url[scheme_end + 3..];
            let host_end = rest.find('/').map_or(url.len(), |i| scheme_end + 3 + i);
            url.truncate(host_end);
            url.push_str(path);
        }
    }
    let refusal = |message: String| Refusal {
        status: None,
        body: String::new(),
        message,
    };
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| refusal(format!("bad URL {url}: {e}")))?;
    let key = match auth {
        Auth::Key => target.api_key.clone(),
        Auth::None => None,
        Auth::Wrong => Some("sk-probe-not-the-key".to_owned()),
    };
    if let Some(key) = key {
        let value = HeaderValue::from_str(&format!("Bearer {key}"))
            .map_err(|_| refusal("the API key is not a valid header value".to_owned()))?;
        request.headers_mut().insert("authorization", value);
    }
    // Room for the largest frame a case sends (the oversized one).
    let config = WebSocketConfig::default()
        .max_message_size(Some(64 << 20))
        .max_frame_size(Some(64 << 20));
    let connecting = target.tls.connect(request, config);
    let result = tokio::time::timeout(target.timeout, connecting).await;
    let ws = match result {
        Err(_) => return Err(refusal("the handshake timed out".to_owned())),
        Ok(Err(WsError::Http(response))) => {
            let body = response
                .body()
                .as_deref()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            let status = response.status().as_u16();
            log(
                transcript,
                number,
                Direction::Note,
                format!("handshake refused: HTTP {status} {body}"),
            );
            return Err(Refusal {
                status: Some(status),
                body,
                message: format!("HTTP {status}"),
            });
        }
        Ok(Err(err)) => return Err(refusal(format!("cannot connect: {err}"))),
        Ok(Ok((ws, _))) => ws,
    };
    log(
        transcript,
        number,
        Direction::Note,
        format!(
            "connected ({})",
            match (auth, target.api_key.is_some()) {
                (Auth::Key, true) => "with the key",
                (Auth::Wrong, _) => "with a wrong key",
                _ => "without a key",
            }
        ),
    );
    Ok(Conn {
        ws,
        transcript: Arc::clone(transcript),
        number,
        next_id: 0,
        tag: tag.replace('.', "_"),
        wait: target.timeout,
        closed: None,
        received: Vec::new(),
        tracker: Tracker::new(),
        frames: 0,
        found: Vec::new(),
    })
}

impl Conn {
    /// A fresh client event id: `evt_probe_<case>_<n>`.
    pub fn event_id(&mut self) -> String {
        self.next_id += 1;
        format!("evt_probe_{}_{}", self.tag, self.next_id)
    }

    /// Sends `frame`, giving it an `event_id` when it is an object without
    /// one; returns the id it carries.
    pub async fn send(&mut self, mut frame: Value) -> Option<String> {
        if let Value::Object(members) = &mut frame {
            if !members.contains_key("event_id") {
                let id = self.event_id();
                members.insert("event_id".into(), id.into());
            }
        }
        let id = frame["event_id"].as_str().map(str::to_owned);
        self.send_text(frame.to_string(), elide(&frame)).await;
        id
    }

    /// Sends a text frame as is; `shown` is what the transcript shows.
    pub async fn send_text(&mut self, text: impl Into<String>, shown: String) {
        log(&self.transcript, self.number, Direction::Sent, shown);
        let text = text.into();
        self.frames += 1;
        self.tracker
            .client(self.frames, text.as_bytes(), &mut self.found);
        let _ = self.ws.send(Message::text(text)).await;
    }

    /// Sends a text frame as is, elided in the transcript.
    pub async fn send_raw(&mut self, text: &str) {
        self.send_text(text.to_owned(), elide_text(text)).await;
    }

    /// Sends a binary frame.
    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        log(
            &self.transcript,
            self.number,
            Direction::Sent,
            format!("<binary frame, {} bytes>", bytes.len()),
        );
        self.frames += 1;
        self.tracker.client_binary(self.frames);
        let _ = self.ws.send(Message::binary(bytes)).await;
    }

    /// Sends a ping.
    pub async fn ping(&mut self) {
        log(
            &self.transcript,
            self.number,
            Direction::Sent,
            "<ping>".into(),
        );
        let _ = self.ws.send(Message::Ping(b"probe".to_vec().into())).await;
    }

    /// Sends a close frame (1000).
    pub async fn close(&mut self) {
        log(
            &self.transcript,
            self.number,
            Direction::Sent,
            "<close 1000>".into(),
        );
        let _ = self
            .ws
            .send(Message::Close(Some(CloseFrame {
                code: CloseCode::Normal,
                reason: "probe done".into(),
            })))
            .await;
    }

    /// The next frame, waiting at most `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Incoming {
        if self.closed.is_some() {
            return Incoming::Closed(self.closed.flatten());
        }
        let message = match tokio::time::timeout(wait, self.ws.next()).await {
            Err(_) => return Incoming::Timeout,
            Ok(message) => message,
        };
        let note = |conn: &mut Conn, text: String| {
            log(&conn.transcript, conn.number, Direction::Received, text);
        };
        match message {
            Some(Ok(Message::Text(text))) => {
                let index = log(
                    &self.transcript,
                    self.number,
                    Direction::Received,
                    elide_text(&text),
                );
                let judged = Judged::of(&text);
                remark(&self.transcript, index, judged.problems());
                self.frames += 1;
                self.tracker
                    .server(self.frames, text.as_bytes(), &mut self.found);
                self.received.push(judged.clone());
                Incoming::Event(Box::new(judged))
            }
            Some(Ok(Message::Binary(bytes))) => {
                self.frames += 1;
                note(self, format!("<binary frame, {} bytes>", bytes.len()));
                Incoming::Binary(bytes.len())
            }
            Some(Ok(Message::Pong(_))) => {
                note(self, "<pong>".into());
                Incoming::Pong
            }
            Some(Ok(Message::Ping(_))) | Some(Ok(Message::Frame(_))) => {
                Box::pin(self.next_within(wait)).await
            }
            Some(Ok(Message::Close(frame))) => {
                let code = frame.as_ref().map(|f| u16::from(f.code));
                note(
                    self,
                    format!(
                        "<close {}>",
                        code.map_or("without a code".to_owned(), |c| c.to_string())
                    ),
                );
                self.closed = Some(code);
                Incoming::Closed(code)
            }
            Some(Err(err)) => {
                note(self, format!("<connection lost: {err}>"));
                self.closed = Some(None);
                Incoming::Closed(None)
            }
            None => {
                note(self, "<connection ended>".into());
                self.closed = Some(None);
                Incoming::Closed(None)
            }
        }
    }

    /// The next server event within the default wait, `None` on timeout
    /// or close.
    pub async fn next_event(&mut self) -> Option<Judged> {
        loop {
            match self.next_within(self.wait).await {
                Incoming::Event(judged) => return Some(*judged),
                Incoming::Binary(_) | Incoming::Pong => continue,
                Incoming::Closed(_) | Incoming::Timeout => return None,
            }
        }
    }

    /// Events up to and including the first one `stop` accepts. `Err` holds
    /// what came before a timeout or close.
    pub async fn until(
        &mut self,
        mut stop: impl FnMut(&Judged) -> bool,
    ) -> Result<Vec<Judged>, Vec<Judged>> {
        let deadline = Instant::now() + self.wait;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_within(left).await {
                Incoming::Event(judged) => {
                    let done = stop(&judged);
                    seen.push(*judged);
                    if done {
                        return Ok(seen);
                    }
                }
                Incoming::Binary(_) | Incoming::Pong => {}
                Incoming::Closed(_) | Incoming::Timeout => return Err(seen),
            }
        }
    }

    /// The first frame `wanted` accepts, or the close or the end of the
    /// default wait that comes first; events and other frames before it
    /// are passed over.
    pub async fn until_incoming(&mut self, wanted: impl Fn(&Incoming) -> bool) -> Incoming {
        let deadline = Instant::now() + self.wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let incoming = self.next_within(left).await;
            if wanted(&incoming) || matches!(incoming, Incoming::Closed(_) | Incoming::Timeout) {
                return incoming;
            }
        }
    }

    /// Events up to the first of type `kind`.
    pub async fn until_type(&mut self, kind: &str) -> Result<Vec<Judged>, Vec<Judged>> {
        self.until(|e| e.kind == kind).await
    }

    /// Events for `wait`, however many come (for "nothing else happens").
    pub async fn drain(&mut self, wait: Duration) -> Vec<Judged> {
        let deadline = Instant::now() + wait;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_within(left).await {
                Incoming::Event(judged) => seen.push(*judged),
                Incoming::Binary(_) | Incoming::Pong => {}
                Incoming::Closed(_) | Incoming::Timeout => return seen,
            }
        }
    }

    /// Everything the tracker found on the connection, the responses
    /// never done included: call it once the case has seen what it waits
    /// for.
    pub fn state_findings(&mut self) -> &[StateFinding] {
        self.tracker.finish(&mut self.found);
        &self.found
    }

    /// Writes a note into the transcript.
    pub fn note(&self, text: impl Into<String>) {
        log(&self.transcript, self.number, Direction::Note, text.into());
    }
}
