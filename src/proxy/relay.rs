//! The relay: each direction forwards its messages as soon as they are
//! read, and shows each to the connection's [`Onlooker`], which records the
//! capture and judges with one [`Tracker`] in the order both directions
//! passed.

use std::borrow::Cow;
use std::sync::Mutex;
use std::time::SystemTime;

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use super::{Config, LiveFinding, Note, OnNote, Recorder};
use crate::capture::{self, Payload};
use crate::events::Family;
use crate::protocol::track::{StateFinding, Tracker};

/// Forwards one direction's messages, each as soon as it is read.
pub(super) async fn pump<S, T>(
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
pub(super) struct Onlooker {
    connection: u64,
    record: Option<Recorder>,
    on_note: Option<OnNote>,
    state: Mutex<OnlookerState>,
}

impl Onlooker {
    pub(super) fn new(connection: u64, config: &Config) -> Onlooker {
        Onlooker {
            connection,
            record: config.record.clone(),
            on_note: config.on_note.clone(),
            state: Mutex::new(OnlookerState::default()),
        }
    }

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
    pub(super) fn finish(&self) {
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
