//! The Realtime protocol as a state machine: one [`Machine`] per
//! connection, client frames in, server events ([`ServerEvent`]) and
//! findings about the client ([`ClientFinding`]) out. No I/O and no clock:
//! time is the audio clock (milliseconds of audio appended) and the time
//! a response step stands for, which the caller turns into waits. The
//! WebSocket server (`realtime-harness serve`) runs it per connection; the
//! probe and the stateful checks of captures reuse it.
//!
//! What it implements, with the server events' spec schemas:
//!
//! - the session: `session.created` first (`RealtimeServerEventSessionCreated`,
//!   every member a real one carries), `session.update` merged into it
//!   (`session.updated`) or refused with an `error` that changes nothing;
//! - the input audio buffer: `input_audio_buffer.append` (duration from the
//!   session's input format), `.commit` (at least 100 ms, else
//!   `input_audio_buffer_commit_empty`; then `input_audio_buffer.committed`,
//!   a user item with an `input_audio` part, and the transcription events
//!   when `audio.input.transcription` is set), `.clear`;
//! - server VAD ([`vad`]): `input_audio_buffer.speech_started` /
//!   `.speech_stopped`, automatic commit, a response when `create_response`
//!   is true, and the active one cancelled (`turn_detected`) when
//!   `interrupt_response` is true;
//! - conversation items: create (`previous_item_id` `root`, an existing id,
//!   or an error), retrieve (with the item's audio), delete, truncate (only
//!   an assistant message's audio, `audio_end_ms` within it);
//! - responses ([`response`]): the whole lifecycle, out-of-band responses
//!   (`conversation: "none"`, `input`, `metadata`), function calls
//!   ([`tools`]), `max_output_tokens`, `rate_limits.updated`, one active
//!   response at a time (`conversation_already_has_active_response`),
//!   `response.cancel`;
//! - every frame the model rejects or the checker refuses gets an `error`
//!   ([`errors`]) echoing its `event_id`.

pub mod audio;
mod buffer;
pub mod conversation;
pub mod errors;
mod items;
pub mod report;
pub mod response;
pub mod session;
pub mod tools;
pub mod track;
mod turn;
pub mod vad;

use serde_json::Value;

use crate::check;
use crate::model::content::{UserContent, UserContentType};
use crate::model::generation::{MaxOutputTokens, Modality};
use crate::model::item::{ConversationItem, ItemStatus, MessageItem, UserMessage};
use crate::model::rate_limits::{RateLimit, RateLimitName};
use crate::model::response::{
    RealtimeResponse, RealtimeResponseCreateParams, ResponseAudioConfig, ResponseAudioOutput,
    ResponseObject, ResponseStatusReason,
};
use crate::model::session::SessionConfig;
use crate::model::usage::{TranscriptionTokenUsage, TranscriptionUsage};
use crate::wire::Nullable;
use crate::{ClientEvent, ServerEvent};

use audio::Encoding;
use conversation::{
    item_id, previous_member, stamp, Conversation, Position, StoredItem, TruncateFault,
};
use errors::ErrorReply;
pub use report::{ClientFinding, FindingRule, ProtocolRule};
use response::{ActiveResponse, Plan, Reply, Step};
use session::SessionView;
use vad::{Vad, VadEvent, VadSettings, WINDOW_MS};

/// The least audio a commit takes, as OpenAI's server requires.
pub const MIN_COMMIT_MS: u64 = 100;

/// The most input audio the buffer holds (about 5.8 minutes of PCM16):
/// past it appends are refused, so one client cannot take the server's
/// memory.
pub const MAX_BUFFER_BYTES: usize = 16 * 1024 * 1024;

/// Frames up to this size that contain `null` are also checked against
/// their raw JSON (explicit `null`s the model drops); the others only
/// against the model, which spares the audio stream a second parse.
const RAW_CHECK_BYTES: usize = 64 * 1024;

/// How a connection's machine behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The `model` the session reports (the `?model=` of the URL).
    pub model: String,
    /// A transcription session (`?intent=transcription`).
    pub transcription: bool,
    /// Now, in seconds since the epoch (for `expires_at`).
    pub now_unix: i64,
    /// Makes this connection's ids unique among connections.
    pub id_tag: String,
    /// Milliseconds of audio per `response.output_audio.delta`.
    pub audio_chunk_ms: u64,
    /// Every audio delta carries at least this many bytes of audio (the
    /// `large-audio-deltas` fault); 0 for none.
    pub min_audio_delta_bytes: usize,
    /// Responses fail after `response.created` with an `error` and no
    /// `response.done` (the `error-without-response-done` fault).
    pub fail_responses: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            model: session::DEFAULT_MODEL.to_owned(),
            transcription: false,
            now_unix: 1_700_000_000,
            id_tag: "A".to_owned(),
            audio_chunk_ms: response::AUDIO_CHUNK_MS,
            min_audio_delta_bytes: 0,
            fail_responses: false,
        }
    }
}

/// What one input produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// Server events to send, in order.
    pub events: Vec<ServerEvent>,
    /// What the client did wrong.
    pub findings: Vec<ClientFinding>,
}

impl Output {
    /// Empties both lists, keeping their memory.
    pub fn clear(&mut self) {
        self.events.clear();
        self.findings.clear();
    }
}

/// Server-generated ids: `event_…`, `item_…`, `resp_…`, each unique on the
/// connection and among connections with different tags.
#[derive(Clone, Debug)]
pub struct Ids {
    tag: String,
    next: u64,
}

impl Ids {
    /// Ids for the connection tagged `tag`.
    pub fn new(tag: &str) -> Self {
        Ids {
            tag: tag.to_owned(),
            next: 0,
        }
    }

    /// The next id with `prefix`, e.g. `item_A000007`.
    pub fn next(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}_{}{:06}", self.tag, self.next)
    }

    /// The next event id.
    pub fn event(&mut self) -> String {
        self.next("event")
    }
}

/// The machine of one connection.
#[derive(Debug)]
pub struct Machine {
    options: Options,
    ids: Ids,
    session: SessionConfig,
    started: bool,
    frames: u64,
    conversation: Conversation,
    conversation_id: String,
    /// Committed-to-be input audio, raw, in the session's input encoding.
    buffer: Vec<u8>,
    /// The audio clock at the start of `buffer`.
    buffer_start_ms: u64,
    /// How far into `buffer` VAD has read.
    vad_position: usize,
    vad: Vad,
    /// The id the item of the speech in progress will get.
    speech_item_id: Option<String>,
    response: Option<ActiveResponse>,
    /// The last response that produced audio (for `output_audio_buffer.clear`).
    last_audio_response: Option<String>,
    audio_sent: bool,
    requests_used: i64,
    tokens_used: i64,
}

impl Machine {
    /// A machine for a new connection; call [`Machine::start`] first.
    pub fn new(options: Options) -> Self {
        let mut ids = Ids::new(&options.id_tag);
        let session_id = ids.next("sess");
        let expires_at = options.now_unix + session::SESSION_SECONDS;
        let session = if options.transcription {
            session::transcription(session_id, expires_at)
        } else {
            session::realtime(session_id, &options.model, expires_at)
        };
        let conversation_id = ids.next("conv");
        Machine {
            options,
            ids,
            session,
            started: false,
            frames: 0,
            conversation: Conversation::default(),
            conversation_id,
            buffer: Vec::new(),
            buffer_start_ms: 0,
            vad_position: 0,
            vad: Vad::default(),
            speech_item_id: None,
            response: None,
            last_audio_response: None,
            audio_sent: false,
            requests_used: 0,
            tokens_used: 0,
        }
    }

    /// The session as it stands.
    pub fn session(&self) -> &SessionConfig {
        &self.session
    }

    /// The conversation as it stands.
    pub fn conversation(&self) -> &Conversation {
        &self.conversation
    }

    /// The response in flight, if any.
    pub fn active_response(&self) -> Option<&ActiveResponse> {
        self.response.as_ref()
    }

    /// Client frames received so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Milliseconds of audio in the input buffer.
    pub fn buffered_ms(&self) -> u64 {
        self.session.input_encoding().duration_ms(self.buffer.len())
    }

    /// A fresh event id (for events the caller makes, such as faults').
    pub fn event_id(&mut self) -> String {
        self.ids.event()
    }

    /// `session.created`: the first event of every connection.
    pub fn start(&mut self, out: &mut Output) {
        self.started = true;
        out.events.push(ServerEvent::session_created(
            self.ids.event(),
            Box::new(self.session.clone()),
        ));
    }

    /// A text frame that arrived before `session.created` was sent (the
    /// caller held it back): reported, then handled.
    pub fn receive_early(&mut self, frame: &[u8], out: &mut Output) {
        let before = out.findings.len();
        self.receive_text(frame, out);
        let first = out.findings[before..].first().cloned();
        let (event_type, event_id) = first
            .map(|f| (f.event_type, f.event_id))
            .unwrap_or_else(|| peek(frame));
        out.findings.push(ClientFinding {
            frame: self.frames,
            event_type,
            event_id,
            rule: FindingRule::Protocol(ProtocolRule::BeforeSessionCreated),
            pointer: String::new(),
            message: "sent before the server's `session.created`".to_owned(),
        });
    }

    /// One text frame from the client.
    pub fn receive_text(&mut self, frame: &[u8], out: &mut Output) {
        self.frames += 1;
        let event = match ClientEvent::from_slice(frame) {
            Ok(event) => event,
            Err(err) => {
                let (event_type, event_id) = peek(frame);
                let reply = ErrorReply::from_parse_error(&err);
                out.findings.push(ClientFinding {
                    frame: self.frames,
                    event_type,
                    event_id: event_id.clone(),
                    rule: FindingRule::Protocol(ProtocolRule::ParseError),
                    pointer: param_to_pointer(err.path()),
                    message: err.to_string(),
                });
                self.error(out, event_id.as_deref(), &reply);
                return;
            }
        };
        let raw_check =
            frame.len() <= RAW_CHECK_BYTES && memchr::memmem::find(frame, b"null").is_some();
        let report = match raw_check
            .then(|| serde_json::from_slice::<Value>(frame).ok())
            .flatten()
        {
            Some(raw) => check::validate_frame(&event, &raw),
            None => check::validate(&event),
        };
        let event_id = event.event_id().map(std::borrow::Cow::into_owned);
        for finding in &report.findings {
            out.findings.push(ClientFinding {
                frame: self.frames,
                event_type: Some(event.wire_type().to_owned()),
                event_id: event_id.clone(),
                rule: FindingRule::Check(finding.rule),
                pointer: finding.pointer.clone(),
                message: finding.message.clone(),
            });
        }
        if let Some(refusal) = report.findings.iter().find(|f| errors::refuses(f)) {
            self.error(out, event_id.as_deref(), &ErrorReply::from_finding(refusal));
            return;
        }
        self.handle(&event, out);
    }

    /// A binary frame of `len` bytes: the API speaks JSON text frames.
    pub fn receive_binary(&mut self, len: usize, out: &mut Output) {
        self.frames += 1;
        let reply = ErrorReply::invalid(
            "invalid_frame_type",
            format!("Binary frames are not supported ({len} bytes); send JSON text frames."),
            None,
        );
        self.refuse(out, None, None, ProtocolRule::BinaryFrame, &reply);
    }

    /// A frame over the server's limit, refused unread (its `event_id` is
    /// looked for in its first bytes only).
    pub fn receive_oversize(&mut self, frame: &[u8], limit: usize, out: &mut Output) {
        self.frames += 1;
        let event_id = leading_event_id(frame);
        let reply = ErrorReply::invalid(
            "frame_too_large",
            format!(
                "The frame is {} bytes; the limit is {limit} bytes.",
                frame.len()
            ),
            None,
        );
        self.refuse(out, None, event_id, ProtocolRule::OversizeFrame, &reply);
    }

    /// A parsed, conforming client event.
    pub fn handle(&mut self, event: &ClientEvent, out: &mut Output) {
        let id = event.event_id();
        let id = id.as_deref();
        let kind = event.wire_type();
        let to = Answering { kind, event_id: id };
        match event {
            ClientEvent::SessionUpdate { session, .. } => {
                match session::merge(&mut self.session, session, self.audio_sent) {
                    Ok(()) => out.events.push(ServerEvent::session_updated(
                        self.ids.event(),
                        Box::new(self.session.clone()),
                    )),
                    Err(reply) => {
                        self.refuse_event(out, to, ProtocolRule::SessionUpdateRejected, &reply)
                    }
                }
                // A new turn detection or format starts analysis afresh.
                self.vad.reset();
                self.vad_position = self.buffer.len();
            }
            ClientEvent::InputAudioBufferAppend { audio, .. } => {
                // The checker has refused audio that is not base64.
                let bytes = audio.decode().unwrap_or_default();
                self.append(id, &bytes, out);
            }
            ClientEvent::InputAudioBufferCommit { .. } => {
                let ms = self.buffered_ms();
                if ms < MIN_COMMIT_MS {
                    let reply = ErrorReply::invalid(
                        "input_audio_buffer_commit_empty",
                        format!(
                            "Error committing input audio buffer: buffer too small. Expected at \
                             least {MIN_COMMIT_MS}ms of audio, but buffer only has {ms}.00ms of audio."
                        ),
                        None,
                    );
                    self.refuse_event(out, to, ProtocolRule::CommitTooShort, &reply);
                } else {
                    let item_id = self.ids.next("item");
                    let len = self.buffer.len();
                    self.commit(item_id, len, out);
                }
            }
            ClientEvent::InputAudioBufferClear { .. } => {
                self.buffer_start_ms += self.buffered_ms();
                self.buffer.clear();
                self.vad_position = 0;
                self.vad.reset();
                self.speech_item_id = None;
                out.events
                    .push(ServerEvent::input_audio_buffer_cleared(self.ids.event()));
            }
            ClientEvent::OutputAudioBufferClear { .. } => {
                let active = self.response.as_ref().map(|r| r.id.clone());
                match active.or_else(|| self.last_audio_response.clone()) {
                    Some(response_id) => out.events.push(ServerEvent::output_audio_buffer_cleared(
                        self.ids.event(),
                        response_id,
                    )),
                    None => {
                        let reply = ErrorReply::invalid(
                            "output_audio_buffer_empty",
                            "There is no response audio to clear.",
                            None,
                        );
                        self.refuse_event(out, to, ProtocolRule::NothingToClear, &reply);
                    }
                }
            }
            ClientEvent::ConversationItemCreate {
                previous_item_id,
                item,
                ..
            } => self.create_item(to, previous_item_id.as_deref(), item, out),
            ClientEvent::ConversationItemRetrieve { item_id, .. } => {
                match self.conversation.get(item_id) {
                    Some(stored) => out.events.push(ServerEvent::conversation_item_retrieved(
                        self.ids.event(),
                        Box::new(stored.with_audio()),
                    )),
                    None => self.missing_item(out, to, "item_id", item_id),
                }
            }
            ClientEvent::ConversationItemDelete { item_id, .. } => {
                match self.conversation.remove(item_id) {
                    Some(_) => out.events.push(ServerEvent::conversation_item_deleted(
                        self.ids.event(),
                        item_id.clone(),
                    )),
                    None => self.missing_item(out, to, "item_id", item_id),
                }
            }
            ClientEvent::ConversationItemTruncate {
                item_id,
                content_index,
                audio_end_ms,
                ..
            } => self.truncate(to, item_id, *content_index, *audio_end_ms, out),
            ClientEvent::ResponseCreate { response, .. } => {
                if let Some(active) = &self.response {
                    let reply = ErrorReply::invalid(
                        "conversation_already_has_active_response",
                        format!(
                            "Conversation already has an active response in progress: {}. Wait \
                             until the response is finished before creating a new one.",
                            active.id
                        ),
                        None,
                    );
                    self.refuse_event(out, to, ProtocolRule::ResponseWhileActive, &reply);
                } else {
                    self.create_response(to, response.as_deref(), out);
                }
            }
            ClientEvent::ResponseCancel { response_id, .. } => {
                let active = self.response.as_ref().map(|r| r.id.as_str());
                let named = response_id.as_deref();
                if active.is_some() && (named.is_none() || named == active) {
                    self.cancel(ResponseStatusReason::ClientCancelled, out);
                } else {
                    let reply = ErrorReply::invalid(
                        "response_cancel_not_active",
                        match named {
                            Some(named) => {
                                format!("Response {named} is not active; nothing to cancel.")
                            }
                            None => "Cancellation failed: no active response found.".to_owned(),
                        },
                        named.map(|_| "response_id".to_owned()),
                    );
                    self.refuse_event(out, to, ProtocolRule::CancelWithoutResponse, &reply);
                }
            }
            ClientEvent::Unknown { .. } => {
                // `receive_text` refuses these (the checker's
                // `unknown-event-type`); a caller handing one in directly
                // gets the same answer.
                let reply = ErrorReply::invalid(
                    "invalid_value",
                    format!("Invalid value: '{kind}'. It is not a GA client event type."),
                    Some("type".to_owned()),
                );
                self.error(out, id, &reply);
            }
        }
    }

    /// Emits the next slice of the active response; see
    /// `ActiveResponse::step`. Returns how long the slice stands for,
    /// or `None` when no response is active any more.
    pub fn advance(&mut self, out: &mut Output) -> Option<u64> {
        let response = self.response.as_mut()?;
        let mut step = Step {
            ids: &mut self.ids,
            conversation: &mut self.conversation,
            events: &mut out.events,
        };
        let wait = response.step(&mut step);
        if response.has_audio() {
            self.audio_sent = true;
            self.last_audio_response = Some(response.id.clone());
        }
        if wait.is_none() {
            self.end_response();
        }
        wait
    }

    /// Cancels the active response (`response.done` with `cancelled`).
    fn cancel(&mut self, reason: ResponseStatusReason, out: &mut Output) {
        let Some(response) = self.response.as_mut() else {
            return;
        };
        let mut step = Step {
            ids: &mut self.ids,
            conversation: &mut self.conversation,
            events: &mut out.events,
        };
        response.cancel(&mut step, reason);
        self.end_response();
    }

    fn end_response(&mut self) {
        if let Some(response) = self.response.take() {
            let usage = response.usage();
            self.tokens_used += usage.total_tokens.unwrap_or(0);
        }
    }

    fn error(&mut self, out: &mut Output, event_id: Option<&str>, reply: &ErrorReply) {
        out.events.push(ServerEvent::error(
            self.ids.event(),
            Box::new(reply.details(event_id)),
        ));
    }

    /// An `error`, and the finding that explains it.
    fn refuse(
        &mut self,
        out: &mut Output,
        event_type: Option<&str>,
        event_id: Option<String>,
        rule: ProtocolRule,
        reply: &ErrorReply,
    ) {
        out.findings.push(ClientFinding {
            frame: self.frames,
            event_type: event_type.map(str::to_owned),
            event_id: event_id.clone(),
            rule: FindingRule::Protocol(rule),
            pointer: reply
                .param
                .as_deref()
                .map(param_to_pointer)
                .unwrap_or_default(),
            message: reply.message.clone(),
        });
        self.error(out, event_id.as_deref(), reply);
    }

    /// Refuses the client event `to` answers: the finding names its type,
    /// the `error` echoes its `event_id`.
    fn refuse_event(
        &mut self,
        out: &mut Output,
        to: Answering<'_>,
        rule: ProtocolRule,
        reply: &ErrorReply,
    ) {
        let event_id = to.event_id.map(str::to_owned);
        self.refuse(out, Some(to.kind), event_id, rule, reply);
    }

    fn missing_item(&mut self, out: &mut Output, to: Answering<'_>, param: &str, item_id: &str) {
        let reply = ErrorReply::invalid(
            "item_not_found",
            format!("Item with item_id not found: {item_id}"),
            Some(param.to_owned()),
        );
        self.refuse_event(out, to, ProtocolRule::ItemNotFound, &reply);
    }
}

/// The client event a handler answers: its `type`, which a refusal's
/// finding names, and its `event_id`, which the `error` echoes (`None` when
/// it had none, or for the server's own turn after VAD).
#[derive(Clone, Copy)]
struct Answering<'a> {
    kind: &'a str,
    event_id: Option<&'a str>,
}

/// `session.tools[0].name` -> `/session/tools/0/name`.
fn param_to_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (name, indexes) = segment.split_once('[').unwrap_or((segment, ""));
        if !name.is_empty() {
            pointer.push('/');
            pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
        }
        for index in indexes.split('[').map(|s| s.trim_end_matches(']')) {
            if !index.is_empty() {
                pointer.push('/');
                pointer.push_str(index);
            }
        }
    }
    pointer
}

/// The `type` and `event_id` of a frame the model rejected, when it is a
/// JSON object that has them as strings.
pub(crate) fn peek(frame: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(frame) else {
        return (None, None);
    };
    let string = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    (string("type"), string("event_id"))
}

/// The `event_id` of a frame too large to parse: found in its first
/// kilobyte when written plainly (`"event_id":"…"` without escapes).
fn leading_event_id(frame: &[u8]) -> Option<String> {
    let head = &frame[..frame.len().min(1024)];
    let at = memchr::memmem::find(head, b"\"event_id\"")?;
    let rest = &head[at + 10..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b":")?
        .trim_ascii_start();
    let rest = rest.strip_prefix(b"\"")?;
    let end = memchr::memchr2(b'"', b'\\', rest)?;
    (rest[end] == b'"')
        .then(|| std::str::from_utf8(&rest[..end]).ok().map(str::to_owned))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `error.param` is a dotted path (`errors::pointer_to_param`), read
    /// back into a pointer here.
    #[test]
    fn params_and_pointers_convert_both_ways() {
        for (pointer, param) in [
            ("/session/tools/0/name", "session.tools[0].name"),
            ("/item/content/0/1", "item.content[0][1]"),
            ("", ""),
        ] {
            assert_eq!(errors::pointer_to_param(pointer), param);
            assert_eq!(param_to_pointer(param), pointer);
        }
        // An escaped `/` in a member name is the name's own `/`.
        assert_eq!(errors::pointer_to_param("/a~1b"), "a/b");
    }

    #[test]
    fn oversize_frames_keep_a_plain_event_id() {
        assert_eq!(
            leading_event_id(br#"{"type":"x", "event_id" : "evt_9","audio":"AAAA"#).as_deref(),
            Some("evt_9")
        );
        assert_eq!(leading_event_id(br#"{"event_id":"a\"b"}"#), None);
        assert_eq!(leading_event_id(b"{}"), None);
    }
}
