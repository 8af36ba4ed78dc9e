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
//! - about the server (errors): one active response at a time
//!   (`server-response-while-active`); `response.done` after every
//!   `response.created` (`response-without-done`, judged at the end);
//!   every `item_id` and `response_id` of a `response.*` or
//!   `conversation.item.*` event announced first (`unannounced-id`);
//!   `conversation.item.truncated` within the audio sent
//!   (`truncate-confirmed-beyond-audio`, the same test the machine applies
//!   before it confirms a truncate: [`Conversation::truncation`]); an
//!   `error` answering a client event names its `event_id`
//!   (`error-without-event-id`: the error is taken to answer the last
//!   client frame before it, when no error answered that one yet, unless
//!   it is a `server_error` or one of [`UNPROMPTED_ERROR_CODES`]);
//! - about the client: audio appended in the session's input format
//!   (`audio-format-mismatch`, an error); `response.create` while a
//!   response is active and a truncate the conversation does not allow
//!   (`response-while-active`, `item-not-found`,
//!   `truncate-not-assistant-audio`, `truncate-beyond-audio`), warnings
//!   here: the protocol's answer to them is the server's `error`, and a
//!   client may send them on purpose to see it.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::audio::Encoding;
use super::conversation::{item_id, Conversation, Position, StoredItem, TruncateFault};
use super::report::{FindingRule, ProtocolRule};
use super::session::SessionView;
use crate::capture::Payload;
use crate::check::verdict::{judge, Verdict, NO_TYPE};
use crate::check::{write_finding, Severity};
use crate::events::Family;
use crate::model::item::ConversationItem;
use crate::model::session::SessionConfig;
use crate::ClientEvent;

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

    /// A text frame from the client.
    pub fn client(&mut self, at: u64, frame: &[u8], out: &mut Vec<StateFinding>) {
        let event = ClientEvent::from_slice(frame).ok();
        // A frame the model rejects still names its event, as the server's
        // error must.
        let event_id = match &event {
            Some(event) => event.event_id().map(str::to_owned),
            None => super::peek(frame).1,
        };
        if let Some(id) = &event_id {
            self.client_event_ids.insert(id.clone());
        }
        self.last_client = Some(LastClient {
            at,
            event_id,
            answered: false,
        });
        let Some(event) = event else { return };
        let kind = event.wire_type().to_owned();
        let mut finding = |rule: ProtocolRule, severity, pointer: &str, message: String| {
            out.push(StateFinding {
                at,
                direction: Family::Client,
                event_type: Some(kind.clone()),
                rule: FindingRule::Protocol(rule),
                severity,
                pointer: pointer.to_owned(),
                message,
            })
        };
        match &event {
            ClientEvent::InputAudioBufferAppend { audio, .. } => {
                let encoding = self.input_encoding();
                // Audio that is not base64 is the per-frame checker's finding.
                if let Some(why) = audio.decode().ok().and_then(|b| encoding.mismatch(&b)) {
                    finding(
                        ProtocolRule::AudioFormatMismatch,
                        ProtocolRule::AudioFormatMismatch.severity(),
                        "/audio",
                        format!(
                            "the session's input format is {}, but {why}",
                            encoding.name()
                        ),
                    );
                }
            }
            ClientEvent::ResponseCreate { .. } => {
                if let Some(active) = &self.active {
                    finding(
                        ProtocolRule::ResponseWhileActive,
                        Severity::Warning,
                        "",
                        format!("response {active} is still active (no `response.done` yet)"),
                    );
                }
            }
            ClientEvent::ConversationItemTruncate {
                item_id,
                content_index,
                audio_end_ms,
                ..
            } => {
                let fault = self
                    .conversation
                    .truncation(item_id, *content_index, *audio_end_ms);
                let (rule, pointer, message) = match fault {
                    Ok(()) => return,
                    Err(TruncateFault::NoItem) => (
                        ProtocolRule::ItemNotFound,
                        "/item_id",
                        format!("no item {item_id} in the conversation"),
                    ),
                    Err(TruncateFault::NotAssistantAudio) => (
                        ProtocolRule::TruncateNotAssistantAudio,
                        "/content_index",
                        format!("item {item_id} has no assistant audio part {content_index}"),
                    ),
                    // Only audio this connection streamed is known.
                    Err(TruncateFault::BeyondAudio { .. })
                        if !self.audio_bytes.contains_key(item_id.as_str()) =>
                    {
                        return
                    }
                    Err(TruncateFault::BeyondAudio { available }) => (
                        ProtocolRule::TruncateBeyondAudio,
                        "/audio_end_ms",
                        format!("item {item_id} holds {available} ms of audio, not {audio_end_ms}"),
                    ),
                };
                finding(rule, Severity::Warning, pointer, message);
            }
            _ => {}
        }
    }

    /// A binary frame from the client (which the API does not speak).
    pub fn client_binary(&mut self, at: u64) {
        self.last_client = Some(LastClient {
            at,
            event_id: None,
            answered: false,
        });
    }

    /// A text frame from the server.
    pub fn server(&mut self, at: u64, frame: &[u8], out: &mut Vec<StateFinding>) {
        let Some(event) = object(frame) else { return };
        let kind = str_of(&event, "type").unwrap_or_default().to_owned();
        let mut found = Vec::new();
        let mut finding = |rule: ProtocolRule, pointer: &str, message: String| {
            found.push((rule, pointer.to_owned(), message));
        };
        self.references(&kind, &event, &mut finding);
        match kind.as_str() {
            "session.created" | "session.updated" => {
                if let Ok(session) = event
                    .get("session")
                    .map(SessionConfig::deserialize)
                    .transpose()
                {
                    self.session = session.or(self.session.take());
                }
            }
            "response.created" => {
                let id = event
                    .get("response")
                    .and_then(|r| str_of(r, "id"))
                    .unwrap_or_default()
                    .to_owned();
                if let Some(active) = &self.active {
                    let since = self.responses.get(active).map_or(0, |r| r.created_at);
                    finding(
                        ProtocolRule::ServerResponseWhileActive,
                        "/response/id",
                        format!(
                            "response {id} starts while response {active} (created at {since}) \
                             has had no `response.done`"
                        ),
                    );
                }
                self.responses.insert(
                    id.clone(),
                    Response {
                        created_at: at,
                        done_at: None,
                    },
                );
                self.active = Some(id);
            }
            "response.done" => {
                let id = event
                    .get("response")
                    .and_then(|r| str_of(r, "id"))
                    .unwrap_or_default();
                match self.responses.get_mut(id) {
                    Some(response) if response.done_at.is_none() => response.done_at = Some(at),
                    Some(response) => finding(
                        ProtocolRule::UnannouncedId,
                        "/response/id",
                        format!(
                            "response {id} was already done (at {})",
                            response.done_at.unwrap_or_default()
                        ),
                    ),
                    None => finding(
                        ProtocolRule::UnannouncedId,
                        "/response/id",
                        format!("response {id} was never created (no `response.created`)"),
                    ),
                }
                if self.active.as_deref() == Some(id) {
                    self.active = None;
                }
            }
            "response.output_item.added"
            | "conversation.item.added"
            | "conversation.item.created"
            | "conversation.item.retrieved" => self.announce(&event),
            "response.output_item.done" | "conversation.item.done" => {
                // The item as finished: its content parts are known now.
                self.announce(&event);
            }
            "conversation.item.deleted" => {
                if let Some(id) = str_of(&event, "item_id") {
                    self.conversation.remove(id);
                }
            }
            "response.output_audio.delta" => {
                if let (Some(id), Some(delta)) =
                    (str_of(&event, "item_id"), str_of(&event, "delta"))
                {
                    let encoding = self.output_encoding();
                    let bytes = self.audio_bytes.entry(id.to_owned()).or_default();
                    *bytes += base64_len(delta);
                    let ms = encoding.duration_ms(*bytes as usize);
                    if let Some(stored) = self.conversation.get_mut(id) {
                        stored.output_audio_ms = ms;
                    }
                }
            }
            "conversation.item.truncated" => self.truncated(&event, &mut finding),
            "error" => self.error(&event, &mut finding),
            _ => {}
        }
        out.extend(
            found
                .into_iter()
                .map(|(rule, pointer, message)| StateFinding {
                    at,
                    direction: Family::Server,
                    event_type: Some(kind.clone()),
                    rule: FindingRule::Protocol(rule),
                    severity: rule.severity(),
                    pointer,
                    message,
                }),
        );
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

    /// The `item_id` and `response_id` of `response.*` and
    /// `conversation.item.*` events name what was announced.
    fn references(
        &self,
        kind: &str,
        event: &Value,
        finding: &mut impl FnMut(ProtocolRule, &str, String),
    ) {
        let announces = matches!(
            kind,
            "response.created"
                | "response.done"
                | "conversation.item.added"
                | "conversation.item.created"
                | "conversation.item.done"
                | "conversation.item.retrieved"
        );
        if announces {
            return;
        }
        if kind.starts_with("response.") {
            if let Some(id) = str_of(event, "response_id") {
                match self.responses.get(id) {
                    None => finding(
                        ProtocolRule::UnannouncedId,
                        "/response_id",
                        format!("response {id} was not announced by a `response.created`"),
                    ),
                    Some(Response {
                        done_at: Some(done),
                        ..
                    }) => finding(
                        ProtocolRule::UnannouncedId,
                        "/response_id",
                        format!("response {id} already ended (`response.done` at {done})"),
                    ),
                    Some(_) => {}
                }
            }
        }
        let names_item = kind.starts_with("response.") || kind.starts_with("conversation.item.");
        if let Some(id) = str_of(event, "item_id").filter(|_| names_item) {
            if !self.announced.contains(id) {
                finding(
                    ProtocolRule::UnannouncedId,
                    "/item_id",
                    format!(
                        "item {id} was not announced before (`response.output_item.added` or \
                         `conversation.item.added`)"
                    ),
                );
            }
        }
    }

    /// An event carrying an `item`: the item joins (or updates) the conversation.
    fn announce(&mut self, event: &Value) {
        let Some(item) = event
            .get("item")
            .and_then(|i| ConversationItem::deserialize(i).ok())
        else {
            return;
        };
        let Some(id) = item_id(&item).map(str::to_owned) else {
            return;
        };
        self.announced.insert(id.clone());
        if let Some(stored) = self.conversation.get_mut(&id) {
            stored.item = item;
            return;
        }
        let output_audio_ms = self
            .audio_bytes
            .get(&id)
            .map_or(0, |&b| self.output_encoding().duration_ms(b as usize));
        let stored = StoredItem {
            item,
            input_audio: None,
            output_audio_ms,
            encoding: self.output_encoding(),
        };
        let previous = match event.get("previous_item_id") {
            Some(Value::String(previous)) => Position::After(previous),
            Some(Value::Null) => Position::Root,
            _ => Position::End,
        };
        // A previous item this onlooker never saw: the item goes last.
        if self.conversation.insert(stored.clone(), previous).is_err() {
            let _ = self.conversation.insert(stored, Position::End);
        }
    }

    fn truncated(&mut self, event: &Value, finding: &mut impl FnMut(ProtocolRule, &str, String)) {
        let (Some(id), Some(index), Some(end)) = (
            str_of(event, "item_id"),
            event.get("content_index").and_then(Value::as_i64),
            event.get("audio_end_ms").and_then(Value::as_i64),
        ) else {
            return;
        };
        match self.conversation.truncation(id, index, end) {
            // `unannounced-id` has said so.
            Err(TruncateFault::NoItem) => {}
            Err(TruncateFault::NotAssistantAudio) => finding(
                ProtocolRule::TruncateConfirmedBeyondAudio,
                "/content_index",
                format!(
                    "confirms truncating item {id} part {index}, which holds no assistant audio"
                ),
            ),
            Err(TruncateFault::BeyondAudio { available }) if self.audio_bytes.contains_key(id) => {
                finding(
                    ProtocolRule::TruncateConfirmedBeyondAudio,
                    "/audio_end_ms",
                    format!(
                        "confirms truncating item {id} at {end} ms, but only {available} ms of \
                         its audio was sent"
                    ),
                )
            }
            Err(TruncateFault::BeyondAudio { .. }) => {}
            Ok(()) => {
                if let Some(stored) = self.conversation.get_mut(id) {
                    stored.output_audio_ms = end as u64;
                }
            }
        }
    }

    fn error(&mut self, event: &Value, finding: &mut impl FnMut(ProtocolRule, &str, String)) {
        let details = event.get("error");
        let field = |key: &str| details.and_then(|d| str_of(d, key));
        let named = field("event_id");
        let unprompted = field("type") == Some("server_error")
            || field("code").is_some_and(|c| UNPROMPTED_ERROR_CODES.contains(&c));
        if let Some(named) = named {
            if !self.client_event_ids.contains(named) {
                finding(
                    ProtocolRule::ErrorWithoutEventId,
                    "/error/event_id",
                    format!("names event {named}, which the client did not send"),
                );
            }
            if let Some(last) = self.last_client.as_mut() {
                last.answered |= last.event_id.as_deref() == Some(named);
            }
            return;
        }
        let Some(last) = self.last_client.as_mut() else {
            return;
        };
        if last.answered || unprompted {
            return;
        }
        last.answered = true;
        if let Some(expected) = &last.event_id {
            finding(
                ProtocolRule::ErrorWithoutEventId,
                "/error/event_id",
                format!(
                    "answers the client's event {expected} (at {}) without naming its `event_id`",
                    last.at
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(found: &[StateFinding]) -> Vec<&'static str> {
        found.iter().map(|f| f.rule.id()).collect()
    }

    /// An `error` event with these members in its `error`.
    fn error(details: &str) -> Vec<u8> {
        format!(
            r#"{{"type":"error","event_id":"e","error":{{"type":"invalid_request_error","message":"m"{details}}}}}"#
        )
        .into_bytes()
    }

    /// Found by `proptests/state_machine.rs` (seed in
    /// `proptest-regressions/state_machine.txt`): a frame the model rejects
    /// was not remembered as sent, so the server's error naming its
    /// `event_id` was taken to name an event the client never sent.
    #[test]
    fn a_rejected_frame_still_names_its_event() {
        let mut tracker = Tracker::new();
        let mut found = Vec::new();
        tracker.client(
            1,
            br#"{"type":"response.create","event_id":"evt_1","response":{"output_modalities":"text"}}"#,
            &mut found,
        );
        tracker.server(2, &error(r#","event_id":"evt_1""#), &mut found);
        assert!(found.is_empty(), "{found:?}");
        tracker.server(3, &error(r#","event_id":"evt_9""#), &mut found);
        assert_eq!(rules(&found), ["error-without-event-id"]);
    }

    #[test]
    fn unprompted_errors_need_no_event_id() {
        let mut tracker = Tracker::new();
        let mut found = Vec::new();
        tracker.client(
            1,
            br#"{"type":"input_audio_buffer.clear","event_id":"c"}"#,
            &mut found,
        );
        tracker.server(2, &error(r#","code":"session_expired""#), &mut found);
        assert!(found.is_empty(), "{found:?}");
        tracker.server(3, &error(""), &mut found);
        assert_eq!(rules(&found), ["error-without-event-id"]);
        assert_eq!(found[0].at, 3);
    }

    #[test]
    fn a_truncate_past_the_streamed_audio_is_the_servers_error_if_confirmed() {
        let mut tracker = Tracker::new();
        let mut found = Vec::new();
        let server = |tracker: &mut Tracker, at, frame: Value, found: &mut Vec<StateFinding>| {
            tracker.server(at, frame.to_string().as_bytes(), found)
        };
        server(
            &mut tracker,
            1,
            serde_json::json!({"type": "response.created", "event_id": "e",
            "response": {"id": "r", "object": "realtime.response", "status": "in_progress"}}),
            &mut found,
        );
        let item = serde_json::json!({"id": "i", "type": "message", "role": "assistant",
            "content": [{"type": "output_audio"}]});
        server(
            &mut tracker,
            2,
            serde_json::json!({"type": "response.output_item.added", "event_id": "e",
            "response_id": "r", "output_index": 0, "item": item}),
            &mut found,
        );
        // 4800 bytes of PCM16: 100 ms.
        let delta = "A".repeat(6400);
        server(
            &mut tracker,
            3,
            serde_json::json!({"type": "response.output_audio.delta", "event_id": "e",
            "response_id": "r", "item_id": "i", "output_index": 0, "content_index": 0, "delta": delta}),
            &mut found,
        );
        server(
            &mut tracker,
            4,
            serde_json::json!({"type": "response.output_item.done", "event_id": "e",
            "response_id": "r", "output_index": 0, "item": item}),
            &mut found,
        );
        server(
            &mut tracker,
            5,
            serde_json::json!({"type": "response.done", "event_id": "e",
            "response": {"id": "r", "object": "realtime.response", "status": "completed"}}),
            &mut found,
        );
        assert!(found.is_empty(), "{found:?}");
        let truncated = |ms: i64| {
            serde_json::json!({"type": "conversation.item.truncated",
            "event_id": "e", "item_id": "i", "content_index": 0, "audio_end_ms": ms})
        };
        server(&mut tracker, 6, truncated(100), &mut found);
        assert!(found.is_empty(), "{found:?}");
        // Now it holds 100 ms at most; 101 is past it.
        server(&mut tracker, 7, truncated(101), &mut found);
        assert_eq!(rules(&found), ["truncate-confirmed-beyond-audio"]);
        tracker.finish(&mut found);
        assert_eq!(found.len(), 1, "every response was done");
    }
}
