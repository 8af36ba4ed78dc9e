//! The conversation the server keeps: items in order, each with its id,
//! and the audio an item carries (the user's committed input audio, or the
//! duration of an assistant message's synthetic audio, which is
//! regenerated on `conversation.item.retrieve` rather than kept).

use crate::model::content::{AssistantContentType, UserContentType};
use crate::model::item::{ConversationItem, ItemObject, ItemStatus, MessageItem};
use crate::model::Base64Audio;
use crate::wire::Nullable;

use super::audio::Encoding;

/// One item of the conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredItem {
    /// The item as the server reports it (`id`, `object` and `status` set);
    /// audio parts carry no `audio` here.
    pub item: ConversationItem,
    /// The user's input audio (raw, in `encoding`), for `input_audio` parts.
    pub input_audio: Option<Vec<u8>>,
    /// Milliseconds of assistant audio the item holds (after truncation).
    pub output_audio_ms: u64,
    /// The encoding of the item's audio.
    pub encoding: Encoding,
}

impl StoredItem {
    /// The item's id.
    pub fn id(&self) -> &str {
        item_id(&self.item).unwrap_or_default()
    }

    /// Whether the item is an assistant message with an audio part at `content_index`.
    pub fn has_assistant_audio(&self, content_index: i64) -> bool {
        let ConversationItem::Message(MessageItem::Assistant(message)) = &self.item else {
            return false;
        };
        usize::try_from(content_index)
            .ok()
            .and_then(|i| message.content.get(i))
            .is_some_and(|part| part.r#type == Some(AssistantContentType::OutputAudio))
    }

    /// The item with its audio, for `conversation.item.retrieved`.
    pub fn with_audio(&self) -> ConversationItem {
        let mut item = self.item.clone();
        match &mut item {
            ConversationItem::Message(MessageItem::User(message)) => {
                if let Some(audio) = &self.input_audio {
                    for part in &mut message.content {
                        if part.r#type == Some(UserContentType::InputAudio) && part.audio.is_none()
                        {
                            part.audio = Some(Base64Audio::encode(audio));
                        }
                    }
                }
            }
            ConversationItem::Message(MessageItem::Assistant(message)) => {
                for part in &mut message.content {
                    if part.r#type == Some(AssistantContentType::OutputAudio) {
                        part.audio = Some(Base64Audio::encode(
                            &self.encoding.synthesize(0, self.output_audio_ms),
                        ));
                    }
                }
            }
            _ => {}
        }
        item
    }
}

/// The `id` of an item, whatever its type.
pub fn item_id(item: &ConversationItem) -> Option<&str> {
    match item {
        ConversationItem::Message(MessageItem::System(m)) => m.id.as_deref(),
        ConversationItem::Message(MessageItem::User(m)) => m.id.as_deref(),
        ConversationItem::Message(MessageItem::Assistant(m)) => m.id.as_deref(),
        ConversationItem::FunctionCall(f) => f.id.as_deref(),
        ConversationItem::FunctionCallOutput(f) => f.id.as_deref(),
        ConversationItem::McpApprovalResponse(i) => Some(&i.id),
        ConversationItem::McpListTools(i) => i.id.as_deref(),
        ConversationItem::McpCall(i) => Some(&i.id),
        ConversationItem::McpApprovalRequest(i) => Some(&i.id),
        ConversationItem::ItemReference(r) => Some(&r.id),
    }
}

/// Gives an item the id, `object` and `status` the server reports. Items
/// whose schema requires the client's `id` (the MCP ones) keep it.
pub fn stamp(item: &mut ConversationItem, id: &str, status: ItemStatus) {
    macro_rules! set {
        ($m:expr) => {{
            if $m.id.is_none() {
                $m.id = Some(id.to_owned());
            }
            $m.object = Some(ItemObject::RealtimeItem);
            $m.status = Some(status);
        }};
    }
    match item {
        ConversationItem::Message(MessageItem::System(m)) => set!(m),
        ConversationItem::Message(MessageItem::User(m)) => set!(m),
        ConversationItem::Message(MessageItem::Assistant(m)) => set!(m),
        ConversationItem::FunctionCall(f) => set!(f),
        ConversationItem::FunctionCallOutput(f) => set!(f),
        ConversationItem::McpListTools(i) => {
            if i.id.is_none() {
                i.id = Some(id.to_owned());
            }
        }
        ConversationItem::McpApprovalResponse(_)
        | ConversationItem::McpCall(_)
        | ConversationItem::McpApprovalRequest(_)
        | ConversationItem::ItemReference(_) => {}
    }
}

/// The `previous_item_id` member of the events that announce an item:
/// `null` when the item is first.
pub fn previous_member(previous: Option<String>) -> Option<Nullable<String>> {
    Some(previous.map_or(Nullable::Null, Nullable::Value))
}

/// Where a new item goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position<'a> {
    /// At the end (no `previous_item_id`).
    End,
    /// First (`previous_item_id: "root"`).
    Root,
    /// Right after this item.
    After(&'a str),
}

impl<'a> Position<'a> {
    /// The position a `previous_item_id` names.
    pub fn of(previous_item_id: Option<&'a str>) -> Self {
        match previous_item_id {
            None => Position::End,
            Some("root") => Position::Root,
            Some(id) => Position::After(id),
        }
    }
}

/// Why a `conversation.item.truncate` cannot apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TruncateFault {
    /// No item has the id.
    NoItem,
    /// The item has no assistant audio part at `content_index`.
    NotAssistantAudio,
    /// `audio_end_ms` is negative or past the item's audio.
    BeyondAudio {
        /// Milliseconds of audio the item holds.
        available: u64,
    },
}

/// An item id the conversation does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoSuchItem(pub String);

/// The items, in conversation order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conversation {
    items: Vec<StoredItem>,
}

impl Conversation {
    /// The items in order.
    pub fn items(&self) -> &[StoredItem] {
        &self.items
    }

    /// The item with this id.
    pub fn get(&self, id: &str) -> Option<&StoredItem> {
        self.items.iter().find(|i| i.id() == id)
    }

    /// The item with this id, to change it.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut StoredItem> {
        self.items.iter_mut().find(|i| i.id() == id)
    }

    /// The id of the last item.
    pub fn last_id(&self) -> Option<&str> {
        self.items.last().map(StoredItem::id)
    }

    /// Appends an item; returns the id of the item before it (`None` when
    /// it is first).
    pub fn append(&mut self, item: StoredItem) -> Option<String> {
        self.insert(item, Position::End)
            .expect("the end is always a position")
    }

    /// Inserts an item; returns the id of the item before it (`None` when
    /// it is first), or the id `After` names when no item has it.
    pub fn insert(
        &mut self,
        item: StoredItem,
        at: Position<'_>,
    ) -> Result<Option<String>, NoSuchItem> {
        let index = match at {
            Position::End => self.items.len(),
            Position::Root => 0,
            Position::After(id) => {
                let found = self.items.iter().position(|i| i.id() == id);
                found.ok_or_else(|| NoSuchItem(id.to_owned()))? + 1
            }
        };
        let previous = index.checked_sub(1).map(|i| self.items[i].id().to_owned());
        self.items.insert(index, item);
        Ok(previous)
    }

    /// Whether truncating `item_id`'s part `content_index` at
    /// `audio_end_ms` applies: only an assistant message's audio part, and
    /// only within the audio it holds. The server refuses any other
    /// truncate; a capture's checker flags a server that confirms one.
    pub fn truncation(
        &self,
        item_id: &str,
        content_index: i64,
        audio_end_ms: i64,
    ) -> Result<(), TruncateFault> {
        let stored = self.get(item_id).ok_or(TruncateFault::NoItem)?;
        if !stored.has_assistant_audio(content_index) {
            return Err(TruncateFault::NotAssistantAudio);
        }
        let available = stored.output_audio_ms;
        if audio_end_ms < 0 || audio_end_ms as u64 > available {
            return Err(TruncateFault::BeyondAudio { available });
        }
        Ok(())
    }

    /// Removes the item with this id.
    pub fn remove(&mut self, id: &str) -> Option<StoredItem> {
        let index = self.items.iter().position(|i| i.id() == id)?;
        Some(self.items.remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str) -> StoredItem {
        let mut item = ConversationItem::user_text(id);
        stamp(&mut item, id, ItemStatus::Completed);
        StoredItem {
            item,
            input_audio: None,
            output_audio_ms: 0,
            encoding: Encoding::Pcm16,
        }
    }

    #[test]
    fn previous_item_id_places_items() {
        let mut c = Conversation::default();
        assert_eq!(c.insert(stored("a"), Position::End), Ok(None));
        assert_eq!(c.insert(stored("b"), Position::End), Ok(Some("a".into())));
        assert_eq!(c.insert(stored("c"), Position::Root), Ok(None));
        assert_eq!(
            c.insert(stored("d"), Position::After("a")),
            Ok(Some("a".into()))
        );
        assert_eq!(
            c.insert(stored("e"), Position::After("zz")),
            Err(NoSuchItem("zz".into()))
        );
        let order: Vec<_> = c.items().iter().map(StoredItem::id).collect();
        assert_eq!(order, ["c", "a", "d", "b"]);
        assert!(c.remove("a").is_some());
        assert!(c.get("a").is_none());
    }
}
