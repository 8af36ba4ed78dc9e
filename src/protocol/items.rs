//! Conversation item events: `conversation.item.create` (with
//! `previous_item_id`), the `added`/`done` announcements, and
//! `conversation.item.truncate` of an assistant message's audio.

use super::*;

impl Machine {
    pub(super) fn create_item(
        &mut self,
        to: Answering<'_>,
        previous_item_id: Option<&str>,
        item: &ConversationItem,
        out: &mut Output,
    ) {
        let mut item = item.clone();
        if let Some(id) = item_id(&item) {
            if self.conversation.get(id).is_some() {
                let reply = ErrorReply::invalid(
                    "item_duplicate_id",
                    format!("Item with id '{id}' already exists in the conversation."),
                    Some("item.id".to_owned()),
                );
                self.refuse_event(out, to, ProtocolRule::DuplicateItemId, &reply);
                return;
            }
        }
        let position = Position::of(previous_item_id);
        if let Position::After(previous) = position {
            if self.conversation.get(previous).is_none() {
                let previous = previous.to_owned();
                self.missing_item(out, to, "previous_item_id", &previous);
                return;
            }
        }
        let id = item_id(&item)
            .map(str::to_owned)
            .unwrap_or_else(|| self.ids.next("item"));
        stamp(&mut item, &id, ItemStatus::Completed);
        // Input audio is kept raw beside the item, and sent back only on retrieve.
        let mut input_audio = None;
        if let ConversationItem::Message(MessageItem::User(message)) = &mut item {
            for part in &mut message.content {
                if let Some(audio) = part.audio.take() {
                    input_audio
                        .get_or_insert_with(Vec::new)
                        .extend(audio.decode().unwrap_or_default());
                }
            }
        }
        let stored = StoredItem {
            item: item.clone(),
            input_audio,
            output_audio_ms: 0,
            encoding: self.session.input_encoding(),
        };
        let previous = self
            .conversation
            .insert(stored, position)
            .expect("the position was checked");
        self.announce(previous, item, out);
    }

    /// `conversation.item.added` and `conversation.item.done` of an item
    /// that is complete when it joins (client items, committed audio).
    pub(super) fn announce(
        &mut self,
        previous: Option<String>,
        item: ConversationItem,
        out: &mut Output,
    ) {
        out.events.push(ServerEvent::conversation_item_added(
            self.ids.event(),
            previous_member(previous.clone()),
            Box::new(item.clone()),
        ));
        out.events.push(ServerEvent::conversation_item_done(
            self.ids.event(),
            previous_member(previous),
            Box::new(item),
        ));
    }

    pub(super) fn truncate(
        &mut self,
        to: Answering<'_>,
        item_id: &str,
        content_index: i64,
        audio_end_ms: i64,
        out: &mut Output,
    ) {
        match self
            .conversation
            .truncation(item_id, content_index, audio_end_ms)
        {
            Ok(()) => {}
            Err(TruncateFault::NoItem) => {
                self.missing_item(out, to, "item_id", item_id);
                return;
            }
            Err(TruncateFault::NotAssistantAudio) => {
                let reply = ErrorReply::invalid(
                    "invalid_value",
                    format!(
                        "Only an assistant message's audio can be truncated; item {item_id} has \
                         no output_audio part at content_index {content_index}."
                    ),
                    Some("content_index".to_owned()),
                );
                self.refuse_event(out, to, ProtocolRule::TruncateNotAssistantAudio, &reply);
                return;
            }
            Err(TruncateFault::BeyondAudio { available }) => {
                let reply = ErrorReply::invalid(
                    "invalid_value",
                    format!(
                        "Audio content of {available}ms is shorter than the audio_end_ms of \
                         {audio_end_ms}ms."
                    ),
                    Some("audio_end_ms".to_owned()),
                );
                self.refuse_event(out, to, ProtocolRule::TruncateBeyondAudio, &reply);
                return;
            }
        }
        if let Some(stored) = self.conversation.get_mut(item_id) {
            stored.output_audio_ms = audio_end_ms as u64;
            // The transcript no longer matches the audio; OpenAI's server
            // drops it too.
            if let ConversationItem::Message(MessageItem::Assistant(message)) = &mut stored.item {
                if let Some(part) = message.content.get_mut(content_index as usize) {
                    part.transcript = Some(Box::default());
                }
            }
        }
        out.events.push(ServerEvent::conversation_item_truncated(
            self.ids.event(),
            item_id.to_owned(),
            content_index,
            audio_end_ms,
        ));
    }
}
