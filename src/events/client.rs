//! Client events, spec schema `RealtimeClientEvent`: the eleven GA events,
//! tagged by `type`, and a catch-all that keeps any other frame intact.

use crate::model::audio_data::Base64Audio;
use crate::model::item::ConversationItem;
use crate::model::response::RealtimeResponseCreateParams;
use crate::model::session::SessionConfig;
use crate::wire::ExtraMembers;

wire_event_family! {
    /// A client event: one JSON frame sent by a Realtime client, spec schema
    /// `RealtimeClientEvent`.
    ///
    /// Every variant keeps members the spec does not name in `extra`, and
    /// [`ClientEvent::Unknown`] keeps frames of any other `type` (for example
    /// the beta-era `transcription_session.update`), so that parsing and
    /// re-serializing never loses data.
    ///
    /// ```
    /// use realtime_harness::{ClientEvent, ConversationItem, RealtimeClientEvent};
    ///
    /// // Parse: `from_slice`, or `str::parse`.
    /// let frame = br#"{"type":"conversation.item.delete","event_id":"evt_1","item_id":"item_9"}"#;
    /// let event = ClientEvent::from_slice(frame)?;
    /// assert_eq!(event.to_event_type(), Some(RealtimeClientEvent::ConversationItemDelete));
    /// assert_eq!(event.event_id().as_deref(), Some("evt_1"));
    /// assert_eq!(event.to_vec(), frame.to_vec());
    ///
    /// // Build: one constructor per event type.
    /// let create = ClientEvent::conversation_item_create(None, None, ConversationItem::user_text("Hi"));
    /// assert_eq!(
    ///     create.to_json(),
    ///     r#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}"#
    /// );
    ///
    /// // Any other type is kept whole.
    /// let beta: ClientEvent = r#"{"type":"transcription_session.update","session":{}}"#.parse()?;
    /// assert!(matches!(&beta, ClientEvent::Unknown { event_type, .. } if event_type == "transcription_session.update"));
    /// # Ok::<(), realtime_harness::ParseError>(())
    /// ```
    pub enum ClientEvent / RealtimeClientEvent / UnknownEventType : "a client event object", "client" {
        /// `session.update`: spec schema `RealtimeClientEventSessionUpdate`.
        "session.update" ("RealtimeClientEventSessionUpdate") => SessionUpdate / SessionUpdateMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// The session update: realtime or transcription.
            req session: Box<SessionConfig>,
        },
        /// `conversation.item.create`: spec schema `RealtimeClientEventConversationItemCreate`.
        "conversation.item.create" ("RealtimeClientEventConversationItemCreate") => ConversationItemCreate / ConversationItemCreateMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// Insert after this item; `root` inserts at the start; absent appends.
            opt previous_item_id: String,
            /// The item to add.
            req item: Box<ConversationItem>,
        },
        /// `conversation.item.delete`: spec schema `RealtimeClientEventConversationItemDelete`.
        "conversation.item.delete" ("RealtimeClientEventConversationItemDelete") => ConversationItemDelete / ConversationItemDeleteMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// The item to delete.
            req item_id: String,
        },
        /// `conversation.item.retrieve`: spec schema `RealtimeClientEventConversationItemRetrieve`.
        "conversation.item.retrieve" ("RealtimeClientEventConversationItemRetrieve") => ConversationItemRetrieve / ConversationItemRetrieveMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// The item to retrieve.
            req item_id: String,
        },
        /// `conversation.item.truncate`: spec schema `RealtimeClientEventConversationItemTruncate`.
        "conversation.item.truncate" ("RealtimeClientEventConversationItemTruncate") => ConversationItemTruncate / ConversationItemTruncateMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// The assistant message item to truncate.
            req item_id: String,
            /// The content part to truncate (the spec says: set this to 0).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::content_index))]
            req content_index: i64,
            /// Inclusive end of the audio kept, in milliseconds.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
            req audio_end_ms: i64,
        },
        /// `input_audio_buffer.append`: spec schema `RealtimeClientEventInputAudioBufferAppend`.
        "input_audio_buffer.append" ("RealtimeClientEventInputAudioBufferAppend") => InputAudioBufferAppend / InputAudioBufferAppendMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// Base64 audio in the session's input format.
            req audio: Base64Audio,
        },
        /// `input_audio_buffer.clear`: spec schema `RealtimeClientEventInputAudioBufferClear`.
        "input_audio_buffer.clear" ("RealtimeClientEventInputAudioBufferClear") => InputAudioBufferClear / InputAudioBufferClearMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
        },
        /// `output_audio_buffer.clear`: spec schema `RealtimeClientEventOutputAudioBufferClear`
        /// (WebRTC and SIP only).
        "output_audio_buffer.clear" ("RealtimeClientEventOutputAudioBufferClear") => OutputAudioBufferClear / OutputAudioBufferClearMembers {
            /// Optional client-generated id.
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
        },
        /// `input_audio_buffer.commit`: spec schema `RealtimeClientEventInputAudioBufferCommit`.
        "input_audio_buffer.commit" ("RealtimeClientEventInputAudioBufferCommit") => InputAudioBufferCommit / InputAudioBufferCommitMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
        },
        /// `response.cancel`: spec schema `RealtimeClientEventResponseCancel`.
        "response.cancel" ("RealtimeClientEventResponseCancel") => ResponseCancel / ResponseCancelMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// The response to cancel; absent cancels the in-progress one.
            opt response_id: String,
        },
        /// `response.create`: spec schema `RealtimeClientEventResponseCreate`.
        "response.create" ("RealtimeClientEventResponseCreate") => ResponseCreate / ResponseCreateMembers {
            /// Optional client-generated id (at most 512 characters).
            #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::events::client::arb::event_id))]
            opt event_id: String,
            /// Parameters of the response; absent uses the session's.
            opt response: Box<RealtimeResponseCreateParams>,
        },
    }
}

impl ClientEvent {
    /// `session.update` with the given session.
    pub fn session_update(event_id: Option<String>, session: SessionConfig) -> Self {
        ClientEvent::SessionUpdate {
            event_id,
            session: Box::new(session),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.create`.
    pub fn conversation_item_create(
        event_id: Option<String>,
        previous_item_id: Option<String>,
        item: ConversationItem,
    ) -> Self {
        ClientEvent::ConversationItemCreate {
            event_id,
            previous_item_id,
            item: Box::new(item),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.delete`.
    pub fn conversation_item_delete(event_id: Option<String>, item_id: impl Into<String>) -> Self {
        ClientEvent::ConversationItemDelete {
            event_id,
            item_id: item_id.into(),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.retrieve`.
    pub fn conversation_item_retrieve(
        event_id: Option<String>,
        item_id: impl Into<String>,
    ) -> Self {
        ClientEvent::ConversationItemRetrieve {
            event_id,
            item_id: item_id.into(),
            extra: ExtraMembers::new(),
        }
    }

    /// `conversation.item.truncate`.
    pub fn conversation_item_truncate(
        event_id: Option<String>,
        item_id: impl Into<String>,
        content_index: i64,
        audio_end_ms: i64,
    ) -> Self {
        ClientEvent::ConversationItemTruncate {
            event_id,
            item_id: item_id.into(),
            content_index,
            audio_end_ms,
            extra: ExtraMembers::new(),
        }
    }

    /// `input_audio_buffer.append` with base64 audio.
    pub fn input_audio_buffer_append(event_id: Option<String>, audio: impl Into<String>) -> Self {
        ClientEvent::InputAudioBufferAppend {
            event_id,
            audio: Base64Audio::new(audio),
            extra: ExtraMembers::new(),
        }
    }

    /// `input_audio_buffer.clear`.
    pub fn input_audio_buffer_clear(event_id: Option<String>) -> Self {
        ClientEvent::InputAudioBufferClear {
            event_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `input_audio_buffer.commit`.
    pub fn input_audio_buffer_commit(event_id: Option<String>) -> Self {
        ClientEvent::InputAudioBufferCommit {
            event_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `output_audio_buffer.clear`.
    pub fn output_audio_buffer_clear(event_id: Option<String>) -> Self {
        ClientEvent::OutputAudioBufferClear {
            event_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `response.cancel`.
    pub fn response_cancel(event_id: Option<String>, response_id: Option<String>) -> Self {
        ClientEvent::ResponseCancel {
            event_id,
            response_id,
            extra: ExtraMembers::new(),
        }
    }

    /// `response.create`.
    pub fn response_create(
        event_id: Option<String>,
        response: Option<RealtimeResponseCreateParams>,
    ) -> Self {
        ClientEvent::ResponseCreate {
            event_id,
            response: response.map(Box::new),
            extra: ExtraMembers::new(),
        }
    }
}

/// Generators for this module's types where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    use crate::wire::arb::{opt, string_up_to};

    /// `event_id`: optional, at most 512 characters.
    pub(crate) fn event_id(u: &mut Unstructured) -> Result<Option<String>> {
        opt(u, |u| string_up_to(u, 512))
    }

    /// `content_index`: the spec says to send 0; sometimes a small index.
    pub(crate) fn content_index(u: &mut Unstructured) -> Result<i64> {
        Ok(if u.ratio(7u8, 8u8)? {
            0
        } else {
            i64::from(u.int_in_range(1..=3u8)?)
        })
    }
}
