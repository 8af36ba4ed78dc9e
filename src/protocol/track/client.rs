//! The client's side of the stateful rules: audio in the session's
//! format, and what the server must refuse (warnings).

use super::{LastClient, StateFinding, Tracker};
use crate::check::Severity;
use crate::events::Family;
use crate::protocol::conversation::TruncateFault;
use crate::protocol::report::{FindingRule, ProtocolRule};
use crate::ClientEvent;

impl Tracker {
    /// A text frame from the client.
    pub fn client(&mut self, at: u64, frame: &[u8], out: &mut Vec<StateFinding>) {
        let event = ClientEvent::from_slice(frame).ok();
        // A frame the model rejects still names its event, as the server's
        // error must.
        let event_id = match &event {
            Some(event) => event.event_id().map(std::borrow::Cow::into_owned),
            None => crate::protocol::peek(frame).1,
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
}
