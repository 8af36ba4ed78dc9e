//! The conversation as an onlooker sees it: both directions of a
//! connection, in the order they passed, judged by the rules only the
//! conversation's state shows. `check` runs one [`Tracker`] per connection
//! of a capture, and `proxy` one per live connection.
//!
//! The state is the server's: the session (`session.created` /
//! `.updated`, whose formats say what audio is), the conversation
//! ([`Conversation`], the same one the [`Machine`](super::Machine) keeps,
//! filled from the items the server announces and the audio it streams),
//! the responses created and done. The rules, under their
//! [`ProtocolRule`] ids:
//!
//! - about the server (errors, in `server`): one active response at a
//!   time (`server-response-while-active`); `response.done` after every
//!   `response.created` (`response-without-done`, judged at the end);
//!   every `item_id` and `response_id` of a `response.*` or
//!   `conversation.item.*` event announced first, an output item's by its
//!   `response.output_item.added` and each of its `content_index`es by a
//!   `response.content_part.added` (`unannounced-id`); an output item's
//!   events carry the `response_id` and `output_index` it was added with,
//!   the next index of its response (`output-reference-mismatch`); nothing
//!   of a response after its `response.done`, nor of an output item after
//!   its `response.output_item.done` (`event-after-done`), and
//!   `response.done` after the done events of its items
//!   (`done-before-item-done`);
//!   `conversation.item.truncated` within the audio sent
//!   (`truncate-confirmed-beyond-audio`, the same test the machine applies
//!   before it confirms a truncate: [`Conversation::truncation`]); an
//!   `error` answering a client event names its `event_id`
//!   (`error-without-event-id`: the error is taken to answer the last
//!   client frame before it, when no error answered that one yet, unless
//!   it is a `server_error` or one of [`UNPROMPTED_ERROR_CODES`]);
//! - about the client (in `client`): audio appended in the session's input format
//!   (`audio-format-mismatch`, an error); `response.create` while a
//!   response is active and a truncate the conversation does not allow
//!   (`response-while-active`, `item-not-found`,
//!   `truncate-not-assistant-audio`, `truncate-beyond-audio`), warnings
//!   here: the protocol's answer to them is the server's `error`, and a
//!   client may send them on purpose to see it.

mod client;
mod server;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use super::audio::Encoding;
use super::conversation::Conversation;
use super::report::{FindingRule, ProtocolRule};
use super::session::SessionView;
use crate::capture::Payload;
use crate::check::verdict::{judge, Verdict, NO_TYPE};
use crate::check::{write_finding, Severity};
use crate::events::Family;
use crate::model::session::SessionConfig;

/// Error codes servers send on their own, not in answer to a client event.
pub const UNPROMPTED_ERROR_CODES: &[&str] = &["session_expired", "rate_limit_exceeded"];

/// One thing the conversation's state shows to be wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateFinding {
    /// Where the frame is, as the caller numbers frames (a capture's line,
    /// a proxy's frame count).
    pub at: u64,
    /// Whose frame it is.
    pub direction: Family,
    /// The frame's wire `type`, when it has one.
    pub event_type: Option<String>,
    /// The rule broken: a stateful one, or (from [`Tracker::observe`] in a
    /// proxy) the checker's.
    pub rule: FindingRule,
    /// How bad it is here (client rules the server answers are warnings).
    pub severity: Severity,
    /// JSON pointer of the member at fault (empty: the frame).
    pub pointer: String,
    /// One line saying what is wrong.
    pub message: String,
}

impl fmt::Display for StateFinding {
    /// `error[unannounced-id] /item_id: …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_finding(
            f,
            self.severity,
            self.rule.id(),
            &self.pointer,
            &self.message,
        )
    }
}

/// What one message showed.
#[derive(Clone, Debug)]
pub struct Observation {
    /// The per-frame verdict (none for a close message).
    pub verdict: Option<Verdict>,
    /// The stateful findings.
    pub state: Vec<StateFinding>,
}

impl Observation {
    /// Every finding on the message, the verdict's first, in the stateful
    /// findings' form (what a proxy prints as the message passes); a frame
    /// that could not be read is a `parse-error`.
    pub fn into_findings(self, at: u64, direction: Family) -> Vec<StateFinding> {
        let mut found = Vec::new();
        if let Some(verdict) = self.verdict {
            let event_type = (verdict.event_type != NO_TYPE).then_some(verdict.event_type);
            if let Some(error) = verdict.error {
                found.push(StateFinding {
                    at,
                    direction,
                    event_type: event_type.clone(),
                    rule: FindingRule::Protocol(ProtocolRule::ParseError),
                    severity: Severity::Error,
                    pointer: String::new(),
                    message: error.message,
                });
            }
            found.extend(verdict.report.findings.into_iter().map(|f| StateFinding {
                at,
                direction,
                event_type: event_type.clone(),
                rule: FindingRule::Check(f.rule),
                severity: f.severity(),
                pointer: f.pointer,
                message: f.message,
            }));
        }
        found.extend(self.state);
        found
    }
}

/// A response the server created.
#[derive(Clone, Debug)]
struct Response {
    created_at: u64,
    done_at: Option<u64>,
    /// Its output items, in `output_index` order.
    items: Vec<String>,
}

/// An item a response added (`response.output_item.added`).
#[derive(Clone, Debug)]
struct OutputItem {
    response: String,
    output_index: i64,
    /// The `content_index`es announced by `response.content_part.added`.
    parts: HashSet<i64>,
    done_at: Option<u64>,
}

/// The last client frame, which the next `error` may answer.
#[derive(Clone, Debug)]
struct LastClient {
    at: u64,
    event_id: Option<String>,
    answered: bool,
}

/// The state of one connection, fed frame by frame in the order they passed.
#[derive(Debug, Default)]
pub struct Tracker {
    session: Option<SessionConfig>,
    conversation: Conversation,
    /// Items ever announced, deleted ones included.
    announced: HashSet<String>,
    /// Bytes of audio streamed per item (`response.output_audio.delta`).
    audio_bytes: HashMap<String, u64>,
    responses: HashMap<String, Response>,
    /// Items of responses, by id.
    outputs: HashMap<String, OutputItem>,
    active: Option<String>,
    last_client: Option<LastClient>,
    client_event_ids: HashSet<String>,
}

/// What a frame is, read leniently: a JSON object with a `type`.
fn object(frame: &[u8]) -> Option<Value> {
    serde_json::from_slice::<Value>(frame)
        .ok()
        .filter(|v| v.get("type").is_some_and(Value::is_string))
}

fn str_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

/// Decoded bytes of a base64 string, from its length.
fn base64_len(text: &str) -> u64 {
    let padding = text.bytes().rev().take_while(|&b| b == b'=').count();
    (text.len() / 4 * 3).saturating_sub(padding) as u64
}

impl Tracker {
    /// A tracker before the connection's first frame.
    pub fn new() -> Self {
        Tracker::default()
    }

    fn input_encoding(&self) -> Encoding {
        self.session
            .as_ref()
            .map_or(Encoding::Pcm16, SessionView::input_encoding)
    }

    fn output_encoding(&self) -> Encoding {
        Encoding::of(
            self.session
                .as_ref()
                .and_then(|s| s.output())
                .and_then(|o| o.format.as_ref()),
        )
    }

    /// One message as it passed (a capture line's, or a proxy's): the
    /// verdict on a data frame in its direction's family (none for a
    /// close), and what the state shows.
    pub fn observe(&mut self, at: u64, direction: Family, payload: &Payload<'_>) -> Observation {
        let mut state = Vec::new();
        let verdict = match payload {
            Payload::Text(text) => {
                let verdict = judge(text.as_bytes(), Some(direction));
                match direction {
                    Family::Client => self.client(at, text.as_bytes(), &mut state),
                    Family::Server => self.server(at, text.as_bytes(), &mut state),
                }
                Some(verdict)
            }
            Payload::Binary(bytes) => {
                if direction == Family::Client {
                    self.client_binary(at);
                }
                state.push(StateFinding {
                    at,
                    direction,
                    event_type: None,
                    rule: FindingRule::Protocol(ProtocolRule::BinaryFrame),
                    severity: ProtocolRule::BinaryFrame.severity(),
                    pointer: String::new(),
                    message: format!(
                        "a binary frame of {} bytes; the API speaks JSON text frames",
                        bytes.len()
                    ),
                });
                None
            }
            Payload::Close { .. } => None,
        };
        Observation { verdict, state }
    }

    /// The end of the connection (or of the capture): responses never done.
    pub fn finish(&mut self, out: &mut Vec<StateFinding>) {
        let mut open: Vec<(&String, &Response)> = self
            .responses
            .iter()
            .filter(|(_, r)| r.done_at.is_none())
            .collect();
        open.sort_by_key(|(_, r)| r.created_at);
        for (id, response) in open {
            out.push(StateFinding {
                at: response.created_at,
                direction: Family::Server,
                event_type: Some("response.created".to_owned()),
                rule: FindingRule::Protocol(ProtocolRule::ResponseWithoutDone),
                severity: ProtocolRule::ResponseWithoutDone.severity(),
                pointer: "/response/id".to_owned(),
                message: format!("response {id} got no `response.done` before the end"),
            });
        }
        self.responses.retain(|_, r| r.done_at.is_some());
        self.active = None;
    }
}
