//! A response in flight, in the order the spec gives its events
//! (`RealtimeServerEventResponse*`): `response.created`; per output item
//! `response.output_item.added`, `conversation.item.added` (unless out of
//! band), `response.content_part.added`, the deltas, the done events,
//! `response.output_item.done`, `conversation.item.done`; then
//! `response.done` with `usage`.
//!
//! A step emits the events of one slice of time: one audio delta (with the
//! transcript words spoken in it), one text word, or one slice of function
//! arguments, and says how much time it stands for, so the caller paces
//! the stream at real time (or N times faster) without the plan knowing
//! about clocks.

use crate::model::content::{
    AssistantContent, AssistantContentType, ResponseContentPart, ResponseContentPartType,
};
use crate::model::generation::Modality;
use crate::model::item::{
    AssistantMessage, ConversationItem, FunctionCallItem, ItemStatus, MessageItem,
};
use crate::model::response::{
    RealtimeResponse, ResponseStatus, ResponseStatusDetails, ResponseStatusDetailsType,
    ResponseStatusReason,
};
use crate::model::usage::{
    CachedTokensDetails, InputTokenDetails, OutputTokenDetails, ResponseUsage,
};
use crate::model::Base64Audio;
use crate::ServerEvent;

use super::audio::Encoding;
use super::conversation::{previous_member, stamp, Conversation, StoredItem};
use super::Ids;

/// Milliseconds of audio per `response.output_audio.delta` (OpenAI's
/// server sends deltas of tens to a few hundred milliseconds).
pub const AUDIO_CHUNK_MS: u64 = 100;

/// Milliseconds of speech per word of the reply.
pub const MS_PER_WORD: u64 = 300;

/// The pace of text deltas (one word each) and function argument deltas.
pub const TEXT_STEP_MS: u64 = 40;

/// Characters of function arguments per delta.
const ARGUMENT_CHUNK: usize = 24;

/// The `part` of `response.content_part.added`/`.done`: `audio` with its
/// transcript, or `text`.
fn content_part(audio: bool, text: String) -> ResponseContentPart {
    if audio {
        ResponseContentPart {
            r#type: Some(ResponseContentPartType::Audio),
            transcript: Some(text.into()),
            ..Default::default()
        }
    } else {
        ResponseContentPart {
            r#type: Some(ResponseContentPartType::Text),
            text: Some(text.into()),
            ..Default::default()
        }
    }
}

/// One output item of a response.
#[derive(Clone, Debug)]
pub(crate) enum Planned {
    /// An assistant message: audio with a transcript, or text.
    Message {
        item_id: String,
        words: Vec<String>,
        audio: bool,
        total_ms: u64,
        sent_ms: u64,
        sent_words: usize,
        started: bool,
    },
    /// A function call.
    FunctionCall {
        item_id: String,
        call_id: String,
        name: String,
        arguments: String,
        sent: usize,
        started: bool,
    },
}

impl Planned {
    fn item_id(&self) -> &str {
        match self {
            Planned::Message { item_id, .. } | Planned::FunctionCall { item_id, .. } => item_id,
        }
    }

    fn started(&self) -> bool {
        match self {
            Planned::Message { started, .. } | Planned::FunctionCall { started, .. } => *started,
        }
    }

    /// The item as it stands, with `status`.
    fn item(&self, status: ItemStatus) -> ConversationItem {
        let mut item = match self {
            Planned::Message {
                words,
                audio,
                sent_words,
                started,
                ..
            } => {
                let text = words[..*sent_words].join(" ");
                let content = match (started, audio) {
                    (false, _) => Vec::new(),
                    (true, true) => vec![AssistantContent {
                        r#type: Some(AssistantContentType::OutputAudio),
                        transcript: Some(text.into()),
                        ..Default::default()
                    }],
                    (true, false) => vec![AssistantContent::output_text(text)],
                };
                ConversationItem::Message(MessageItem::Assistant(AssistantMessage {
                    content,
                    ..Default::default()
                }))
            }
            Planned::FunctionCall {
                call_id,
                name,
                arguments,
                sent,
                ..
            } => ConversationItem::FunctionCall(FunctionCallItem {
                call_id: Some(call_id.clone()),
                name: name.clone(),
                arguments: arguments[..*sent].to_owned(),
                ..Default::default()
            }),
        };
        stamp(&mut item, self.item_id(), status);
        item
    }
}

/// A response between `response.created` and `response.done`.
#[derive(Clone, Debug)]
pub struct ActiveResponse {
    /// `response.id`.
    pub id: String,
    /// Whether its items join the default conversation (`conversation`
    /// `auto`), or it is out of band (`none`).
    pub in_conversation: bool,
    pub(crate) resource: RealtimeResponse,
    pub(crate) outputs: Vec<Planned>,
    pub(crate) index: usize,
    pub(crate) encoding: Encoding,
    pub(crate) chunk_ms: u64,
    /// Stop at `max_output_tokens`: the response ends `incomplete`.
    pub(crate) cut_short: bool,
    /// Fail after `response.created` (the `error-without-response-done` fault).
    pub(crate) fail: bool,
    pub(crate) input_text_tokens: i64,
    pub(crate) input_audio_tokens: i64,
}

/// What a response was asked for, resolved against the session.
pub(crate) struct Plan {
    pub id: String,
    pub in_conversation: bool,
    pub resource: RealtimeResponse,
    pub encoding: Encoding,
    pub modality: Modality,
    pub reply: Reply,
    pub max_words: Option<usize>,
    pub chunk_ms: u64,
    pub min_audio_ms: u64,
    pub fail: bool,
    pub input_text_tokens: i64,
    pub input_audio_tokens: i64,
}

/// What the response says.
pub(crate) enum Reply {
    Text(String),
    Call { name: String, arguments: String },
}

/// Steps may touch the conversation and must number their events.
pub(crate) struct Step<'a> {
    pub ids: &'a mut Ids,
    pub conversation: &'a mut Conversation,
    pub events: &'a mut Vec<ServerEvent>,
}

/// What every event about an item's content names: the response, the item
/// and its index in the output (content index 0: an item has one part).
struct PartAt<'p> {
    response_id: &'p str,
    item_id: &'p str,
    output_index: i64,
}

impl Step<'_> {
    /// Pushes the event `event` builds from a fresh event id, the part `at`
    /// and `value`.
    fn part<T>(
        &mut self,
        at: &PartAt<'_>,
        event: fn(String, String, String, i64, i64, T) -> ServerEvent,
        value: T,
    ) {
        let event_id = self.ids.event();
        let (response_id, item_id) = (at.response_id.to_owned(), at.item_id.to_owned());
        self.events.push(event(
            event_id,
            response_id,
            item_id,
            at.output_index,
            0,
            value,
        ));
    }
}

impl ActiveResponse {
    /// The response from its plan, and its `response.created`.
    pub(crate) fn start(plan: Plan, ids: &mut Ids) -> (ActiveResponse, ServerEvent) {
        let output = match plan.reply {
            Reply::Text(text) => {
                let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
                let cut_short = plan.max_words.is_some_and(|max| words.len() > max);
                if let Some(max) = plan.max_words {
                    words.truncate(max);
                }
                let audio = plan.modality == Modality::Audio;
                let total_ms = (words.len() as u64 * MS_PER_WORD).max(plan.min_audio_ms);
                (
                    Planned::Message {
                        item_id: ids.next("item"),
                        words,
                        audio,
                        total_ms: if audio { total_ms } else { 0 },
                        sent_ms: 0,
                        sent_words: 0,
                        started: false,
                    },
                    cut_short,
                )
            }
            Reply::Call { name, arguments } => (
                Planned::FunctionCall {
                    item_id: ids.next("item"),
                    call_id: ids.next("call"),
                    name,
                    arguments,
                    sent: 0,
                    started: false,
                },
                false,
            ),
        };
        let mut resource = plan.resource;
        resource.id = Some(plan.id.clone());
        resource.status = Some(ResponseStatus::InProgress);
        resource.output = Some(Vec::new());
        let created = ServerEvent::response_created(ids.event(), Box::new(resource.clone()));
        let response = ActiveResponse {
            id: plan.id,
            in_conversation: plan.in_conversation,
            resource,
            outputs: vec![output.0],
            index: 0,
            encoding: plan.encoding,
            chunk_ms: plan.chunk_ms,
            cut_short: output.1,
            fail: plan.fail,
            input_text_tokens: plan.input_text_tokens,
            input_audio_tokens: plan.input_audio_tokens,
        };
        (response, created)
    }

    /// Whether the response has produced audio.
    pub fn has_audio(&self) -> bool {
        self.outputs
            .iter()
            .any(|o| matches!(o, Planned::Message { audio: true, sent_ms, .. } if *sent_ms > 0))
    }

    /// The item the response is streaming audio into, and its audio so far.
    pub fn audio_item(&self) -> Option<(&str, u64)> {
        match self.outputs.get(self.index)? {
            Planned::Message {
                item_id,
                audio: true,
                sent_ms,
                ..
            } => Some((item_id, *sent_ms)),
            _ => None,
        }
    }

    /// Emits the next slice of the response. Returns the time the slice
    /// stands for (wait that long before the next step), or `None` once
    /// `response.done` (or the fault's `error`) was emitted.
    pub(crate) fn step(&mut self, cx: &mut Step<'_>) -> Option<u64> {
        if self.fail {
            // The server fails mid-response and never says `response.done`:
            // the bug that leaves clients waiting forever.
            let details = super::errors::ErrorReply {
                kind: super::errors::SERVER_ERROR,
                code: "server_error",
                message: "The server had an error while processing your request. \
                          (The `error-without-response-done` fault: no `response.done` follows.)"
                    .to_owned(),
                param: None,
            }
            .details(None);
            cx.events
                .push(ServerEvent::error(cx.ids.event(), Box::new(details)));
            return None;
        }
        loop {
            let Some(output) = self.outputs.get(self.index) else {
                self.finish(cx, ResponseStatus::Completed, None);
                return None;
            };
            if !output.started() {
                self.begin_item(cx);
            }
            if let Some(wait) = self.slice(cx) {
                return Some(wait);
            }
            self.end_item(cx, ItemStatus::Completed);
            self.index += 1;
        }
    }

    /// Stops the response: the item in progress ends `incomplete`, and
    /// `response.done` says `cancelled` with `reason`.
    pub(crate) fn cancel(&mut self, cx: &mut Step<'_>, reason: ResponseStatusReason) {
        if self.fail {
            return;
        }
        if self.outputs.get(self.index).is_some_and(Planned::started) {
            self.end_item(cx, ItemStatus::Incomplete);
        }
        self.outputs.truncate(self.index + 1);
        self.finish(cx, ResponseStatus::Cancelled, Some(reason));
    }

    fn begin_item(&mut self, cx: &mut Step<'_>) {
        let output_index = self.index as i64;
        let response_id = self.id.clone();
        let added = self.outputs[self.index].item(ItemStatus::InProgress);
        cx.events.push(ServerEvent::response_output_item_added(
            cx.ids.event(),
            response_id.clone(),
            output_index,
            Box::new(added.clone()),
        ));
        let output = &mut self.outputs[self.index];
        match output {
            Planned::Message { started, .. } | Planned::FunctionCall { started, .. } => {
                *started = true
            }
        }
        let item_id = output.item_id().to_owned();
        if self.in_conversation {
            let stored = StoredItem {
                item: output.item(ItemStatus::InProgress),
                input_audio: None,
                output_audio_ms: 0,
                encoding: self.encoding,
            };
            let previous = cx.conversation.append(stored);
            cx.events.push(ServerEvent::conversation_item_added(
                cx.ids.event(),
                previous_member(previous),
                Box::new(added),
            ));
        }
        if let Planned::Message { audio, .. } = output {
            let at = PartAt {
                response_id: &response_id,
                item_id: &item_id,
                output_index,
            };
            let part = content_part(*audio, String::new());
            cx.part(&at, ServerEvent::response_content_part_added, part);
        }
    }

    /// One slice of the current item; `None` when it has nothing left.
    fn slice(&mut self, cx: &mut Step<'_>) -> Option<u64> {
        let output_index = self.index as i64;
        let encoding = self.encoding;
        let chunk_ms = self.chunk_ms;
        let in_conversation = self.in_conversation;
        let item_id = self.outputs[self.index].item_id().to_owned();
        let at = PartAt {
            response_id: &self.id,
            item_id: &item_id,
            output_index,
        };
        match &mut self.outputs[self.index] {
            Planned::Message {
                words,
                audio: true,
                total_ms,
                sent_ms,
                sent_words,
                ..
            } => {
                if *sent_ms >= *total_ms {
                    return None;
                }
                let ms = chunk_ms.min(*total_ms - *sent_ms);
                let delta = Base64Audio::encode(&encoding.synthesize(*sent_ms, ms));
                cx.part(&at, ServerEvent::response_output_audio_delta, delta);
                *sent_ms += ms;
                // Word i is spoken from i × total / n: send the words begun by now.
                let due = if *sent_ms >= *total_ms {
                    words.len()
                } else {
                    ((*sent_ms * words.len() as u64).div_ceil((*total_ms).max(1))) as usize
                };
                if due > *sent_words {
                    let mut text = words[*sent_words..due].join(" ");
                    if *sent_words > 0 {
                        text.insert(0, ' ');
                    }
                    *sent_words = due;
                    cx.part(
                        &at,
                        ServerEvent::response_output_audio_transcript_delta,
                        text,
                    );
                }
                if in_conversation {
                    if let Some(stored) = cx.conversation.get_mut(&item_id) {
                        stored.output_audio_ms = *sent_ms;
                    }
                }
                Some(ms)
            }
            Planned::Message {
                words, sent_words, ..
            } => {
                if *sent_words >= words.len() {
                    return None;
                }
                let mut text = words[*sent_words].clone();
                if *sent_words > 0 {
                    text.insert(0, ' ');
                }
                *sent_words += 1;
                cx.part(&at, ServerEvent::response_output_text_delta, text);
                Some(TEXT_STEP_MS)
            }
            Planned::FunctionCall {
                call_id,
                arguments,
                sent,
                ..
            } => {
                if *sent >= arguments.len() {
                    return None;
                }
                let mut end = (*sent + ARGUMENT_CHUNK).min(arguments.len());
                while !arguments.is_char_boundary(end) {
                    end += 1;
                }
                let delta = arguments[*sent..end].to_owned();
                *sent = end;
                cx.events
                    .push(ServerEvent::response_function_call_arguments_delta(
                        cx.ids.event(),
                        self.id.clone(),
                        item_id.clone(),
                        output_index,
                        call_id.clone(),
                        delta,
                    ));
                Some(TEXT_STEP_MS)
            }
        }
    }

    /// The done events of the current item.
    fn end_item(&mut self, cx: &mut Step<'_>, status: ItemStatus) {
        let output_index = self.index as i64;
        let response_id = self.id.clone();
        let output = &self.outputs[self.index];
        let item_id = output.item_id().to_owned();
        let at = PartAt {
            response_id: &response_id,
            item_id: &item_id,
            output_index,
        };
        match output {
            Planned::Message {
                words,
                audio,
                sent_words,
                ..
            } => {
                let text = words[..*sent_words].join(" ");
                let part = if *audio {
                    cx.events.push(ServerEvent::response_output_audio_done(
                        cx.ids.event(),
                        response_id.clone(),
                        item_id.clone(),
                        output_index,
                        0,
                    ));
                    cx.part(
                        &at,
                        ServerEvent::response_output_audio_transcript_done,
                        text.clone(),
                    );
                    content_part(true, text)
                } else {
                    cx.part(&at, ServerEvent::response_output_text_done, text.clone());
                    content_part(false, text)
                };
                cx.part(&at, ServerEvent::response_content_part_done, part);
            }
            Planned::FunctionCall {
                call_id,
                name,
                arguments,
                ..
            } => {
                cx.events
                    .push(ServerEvent::response_function_call_arguments_done(
                        cx.ids.event(),
                        response_id.clone(),
                        item_id.clone(),
                        output_index,
                        call_id.clone(),
                        name.clone(),
                        arguments.clone(),
                    ));
            }
        }
        let item = output.item(status);
        cx.events.push(ServerEvent::response_output_item_done(
            cx.ids.event(),
            response_id,
            output_index,
            Box::new(item.clone()),
        ));
        if self.in_conversation {
            let index = cx
                .conversation
                .items()
                .iter()
                .position(|i| i.id() == item_id);
            if let Some(index) = index {
                let previous = index
                    .checked_sub(1)
                    .map(|i| cx.conversation.items()[i].id().to_owned());
                if let Some(stored) = cx.conversation.get_mut(&item_id) {
                    stored.item = item.clone();
                }
                cx.events.push(ServerEvent::conversation_item_done(
                    cx.ids.event(),
                    previous_member(previous),
                    Box::new(item),
                ));
            }
        }
    }

    /// `response.done`.
    fn finish(
        &mut self,
        cx: &mut Step<'_>,
        status: ResponseStatus,
        reason: Option<ResponseStatusReason>,
    ) {
        let (status, details) = match (status, reason) {
            (ResponseStatus::Cancelled, reason) => (
                ResponseStatus::Cancelled,
                Some(ResponseStatusDetails {
                    r#type: Some(ResponseStatusDetailsType::Cancelled),
                    reason,
                    ..Default::default()
                }),
            ),
            _ if self.cut_short => (
                ResponseStatus::Incomplete,
                Some(ResponseStatusDetails {
                    r#type: Some(ResponseStatusDetailsType::Incomplete),
                    reason: Some(ResponseStatusReason::MaxOutputTokens),
                    ..Default::default()
                }),
            ),
            (status, _) => (status, None),
        };
        let item_status = if status == ResponseStatus::Completed {
            ItemStatus::Completed
        } else {
            ItemStatus::Incomplete
        };
        let output: Vec<ConversationItem> = self
            .outputs
            .iter()
            .filter(|o| o.started())
            .map(|o| o.item(item_status))
            .collect();
        let mut resource = self.resource.clone();
        resource.status = Some(status);
        resource.status_details = details;
        resource.output = Some(output);
        resource.usage = Some(self.usage());
        cx.events.push(ServerEvent::response_done(
            cx.ids.event(),
            Box::new(resource),
        ));
    }

    /// `usage`: a word is a text token; 50 ms of audio is an audio token
    /// (OpenAI bills about 20 audio tokens per second of speech).
    pub(crate) fn usage(&self) -> ResponseUsage {
        let (mut text_out, mut audio_out) = (0i64, 0i64);
        for output in &self.outputs {
            match output {
                Planned::Message {
                    sent_words,
                    sent_ms,
                    ..
                } => {
                    text_out += *sent_words as i64;
                    audio_out += (*sent_ms / 50) as i64;
                }
                Planned::FunctionCall { sent, .. } => text_out += sent.div_ceil(4) as i64,
            }
        }
        let input = self.input_text_tokens + self.input_audio_tokens;
        let output = text_out + audio_out;
        ResponseUsage {
            total_tokens: Some(input + output),
            input_tokens: Some(input),
            output_tokens: Some(output),
            input_token_details: Some(InputTokenDetails {
                cached_tokens: Some(0),
                text_tokens: Some(self.input_text_tokens),
                image_tokens: Some(0),
                audio_tokens: Some(self.input_audio_tokens),
                cached_tokens_details: Some(CachedTokensDetails {
                    text_tokens: Some(0),
                    image_tokens: Some(0),
                    audio_tokens: Some(0),
                    extra: Default::default(),
                }),
                extra: Default::default(),
            }),
            output_token_details: Some(OutputTokenDetails {
                text_tokens: Some(text_out),
                audio_tokens: Some(audio_out),
                extra: Default::default(),
            }),
            extra: Default::default(),
        }
    }
}
