//! The server's side of the stateful rules: responses one at a time and
//! each done, every id announced before it is named, an output item's
//! events in its response's order, truncates within the audio sent, and
//! errors naming the client event they answer.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::Value;

use super::{
    base64_len, object, str_of, OutputItem, Response, StateFinding, Tracker, UNPROMPTED_ERROR_CODES,
};
use crate::events::Family;
use crate::model::item::ConversationItem;
use crate::model::session::SessionConfig;
use crate::protocol::conversation::{item_id, Position, StoredItem, TruncateFault};
use crate::protocol::report::{FindingRule, ProtocolRule};

impl Tracker {
    /// A text frame from the server.
    pub fn server(&mut self, at: u64, frame: &[u8], out: &mut Vec<StateFinding>) {
        let Some(event) = object(frame) else { return };
        let kind = str_of(&event, "type").unwrap_or_default().to_owned();
        let mut found = Vec::new();
        let mut finding = |rule: ProtocolRule, pointer: &str, message: String| {
            found.push((rule, pointer.to_owned(), message));
        };
        self.references(at, &kind, &event, &mut finding);
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
                        items: Vec::new(),
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
                    Some(response) if response.done_at.is_none() => {
                        response.done_at = Some(at);
                        let open = response.items.iter().filter(|item| {
                            self.outputs.get(*item).is_some_and(|i| i.done_at.is_none())
                        });
                        for item in open {
                            finding(
                                ProtocolRule::DoneBeforeItemDone,
                                "/response/id",
                                format!(
                                    "response {id} is done before the \
                                     `response.output_item.done` of its item {item}"
                                ),
                            );
                        }
                    }
                    Some(response) => finding(
                        ProtocolRule::EventAfterDone,
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

    /// The `item_id` and `response_id` of `response.*` and
    /// `conversation.item.*` events name what was announced, and what is
    /// not done yet.
    fn references(
        &mut self,
        at: u64,
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
                        ProtocolRule::EventAfterDone,
                        "/response_id",
                        format!("response {id} already ended (`response.done` at {done})"),
                    ),
                    Some(_) => {}
                }
            }
            self.output(at, kind, event, finding);
            return;
        }
        let Some(id) = str_of(event, "item_id").filter(|_| kind.starts_with("conversation.item."))
        else {
            return;
        };
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

    /// A `response.*` event about an output item: one added at its
    /// response's next `output_index`, then named with that index and
    /// response, its parts announced, nothing after its done event.
    fn output(
        &mut self,
        at: u64,
        kind: &str,
        event: &Value,
        finding: &mut impl FnMut(ProtocolRule, &str, String),
    ) {
        let response_id = str_of(event, "response_id");
        let output_index = event.get("output_index").and_then(Value::as_i64);
        let added_id = event.get("item").and_then(|i| str_of(i, "id"));
        if kind == "response.output_item.added" {
            // Without a known response `unannounced-id` has spoken.
            let (Some(response_id), Some(id)) = (response_id, added_id) else {
                return;
            };
            let Some(response) = self.responses.get_mut(response_id) else {
                return;
            };
            let next = response.items.len() as i64;
            if output_index != Some(next) {
                finding(
                    ProtocolRule::OutputReferenceMismatch,
                    "/output_index",
                    format!(
                        "item {id} is added at `output_index` {}, where the response's next \
                         output is {next}",
                        output_index.map_or("(none)".to_owned(), |i| i.to_string())
                    ),
                );
            }
            response.items.push(id.to_owned());
            let item = OutputItem {
                response: response_id.to_owned(),
                output_index: output_index.unwrap_or(next),
                parts: HashSet::new(),
                done_at: None,
            };
            self.outputs.insert(id.to_owned(), item);
            return;
        }
        let (item_id, pointer) = match kind {
            "response.output_item.done" => (added_id, "/item/id"),
            _ => (str_of(event, "item_id"), "/item_id"),
        };
        let Some(item_id) = item_id else { return };
        let Some(item) = self.outputs.get_mut(item_id) else {
            finding(
                ProtocolRule::UnannouncedId,
                pointer,
                format!("item {item_id} was not announced by a `response.output_item.added`"),
            );
            return;
        };
        if let Some(other) = response_id.filter(|r| *r != item.response) {
            finding(
                ProtocolRule::OutputReferenceMismatch,
                "/response_id",
                format!(
                    "item {item_id} belongs to response {}, not {other}",
                    item.response
                ),
            );
        }
        if let Some(index) = output_index.filter(|i| *i != item.output_index) {
            finding(
                ProtocolRule::OutputReferenceMismatch,
                "/output_index",
                format!(
                    "`output_index` {index}, but item {item_id} is output {}",
                    item.output_index
                ),
            );
        }
        if let Some(done) = item.done_at {
            finding(
                ProtocolRule::EventAfterDone,
                pointer,
                format!("item {item_id} already ended (`response.output_item.done` at {done})"),
            );
        }
        match (kind, event.get("content_index").and_then(Value::as_i64)) {
            ("response.output_item.done", _) => {
                item.done_at.get_or_insert(at);
            }
            ("response.content_part.added", Some(index)) => {
                item.parts.insert(index);
            }
            (_, Some(index)) if !item.parts.contains(&index) => finding(
                ProtocolRule::UnannouncedId,
                "/content_index",
                format!(
                    "part {index} of item {item_id} was not announced by a \
                     `response.content_part.added`"
                ),
            ),
            _ => {}
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
