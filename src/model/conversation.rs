//! The conversation resource of `conversation.created`
//! (`RealtimeServerEventConversationCreated.conversation`).

wire_object! {
    /// A conversation: its id and object type.
    #[derive(Default)]
    pub struct Conversation : "a conversation object", open {
        /// `id`: the conversation id.
        opt id: String,
        /// `object`: `realtime.conversation`.
        opt object: String,
    }
}
