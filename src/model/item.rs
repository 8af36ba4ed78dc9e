//! Conversation items, spec schema `RealtimeConversationItem`: messages
//! (by role), function calls and their outputs, the MCP items, and item
//! references.

use super::content::{AssistantContent, SystemContent, UserContent};
use super::mcp_item::{
    McpApprovalRequestItem, McpApprovalResponseItem, McpCallItem, McpListToolsItem,
};

wire_union! {
    /// A conversation item, tagged by `type`.
    ///
    /// `item_reference` is not a branch of the spec's union, but the spec's
    /// own `response.create` example and real clients put it in
    /// `response.input` (defect 4 of the spec notes), so the model accepts it
    /// everywhere and the checker reports it where the spec does not allow it.
    pub enum ConversationItem : "a conversation item object", tag "type" {
        /// `message`: a system, user or assistant message.
        "message" => Message(MessageItem),
        /// `function_call`: spec schema `RealtimeConversationItemFunctionCall`.
        "function_call" => FunctionCall(FunctionCallItem),
        /// `function_call_output`: spec schema `RealtimeConversationItemFunctionCallOutput`.
        "function_call_output" => FunctionCallOutput(FunctionCallOutputItem),
        /// `mcp_approval_response`: spec schema `RealtimeMCPApprovalResponse`.
        "mcp_approval_response" => McpApprovalResponse(McpApprovalResponseItem),
        /// `mcp_list_tools`: spec schema `RealtimeMCPListTools`.
        "mcp_list_tools" => McpListTools(McpListToolsItem),
        /// `mcp_call`: spec schema `RealtimeMCPToolCall`.
        "mcp_call" => McpCall(Box<McpCallItem>),
        /// `mcp_approval_request`: spec schema `RealtimeMCPApprovalRequest`.
        "mcp_approval_request" => McpApprovalRequest(McpApprovalRequestItem),
        /// `item_reference`: a reference to an earlier item by `id`.
        #[cfg_attr(feature = "arbitrary", arbitrary(skip))]
        "item_reference" => ItemReference(ItemReference),
    }
}

wire_union! {
    /// A message item, tagged by `role`.
    pub enum MessageItem : "a message item object", tag "role" {
        /// `system`: spec schema `RealtimeConversationItemMessageSystem`.
        "system" => System(SystemMessage),
        /// `user`: spec schema `RealtimeConversationItemMessageUser`.
        "user" => User(UserMessage),
        /// `assistant`: spec schema `RealtimeConversationItemMessageAssistant`.
        "assistant" => Assistant(AssistantMessage),
    }
}

wire_object! {
    /// A system message (`RealtimeConversationItemMessageSystem`).
    #[derive(Default)]
    pub struct SystemMessage : "a system message object", open {
        /// `id`: the item id, from the client or the server.
        opt id: String,
        /// `object`: always `realtime.item`.
        opt object: ItemObject,
        /// `status`: no effect on the conversation.
        opt status: ItemStatus,
        /// `content`: `input_text` parts.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::content::arbitrary_parts::system))]
        req_list content: SystemContent,
    }
}

wire_object! {
    /// A user message (`RealtimeConversationItemMessageUser`).
    #[derive(Default)]
    pub struct UserMessage : "a user message object", open {
        /// `id`: the item id, from the client or the server.
        opt id: String,
        /// `object`: always `realtime.item`.
        opt object: ItemObject,
        /// `status`: no effect on the conversation.
        opt status: ItemStatus,
        /// `content`: `input_text`, `input_audio` and `input_image` parts.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::content::arbitrary_parts::user))]
        req_list content: UserContent,
    }
}

wire_object! {
    /// An assistant message (`RealtimeConversationItemMessageAssistant`).
    #[derive(Default)]
    pub struct AssistantMessage : "an assistant message object", open {
        /// `id`: the item id, from the client or the server.
        opt id: String,
        /// `object`: always `realtime.item`.
        opt object: ItemObject,
        /// `status`: no effect on the conversation.
        opt status: ItemStatus,
        /// `content`: `output_text` and `output_audio` parts.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::content::arbitrary_parts::assistant))]
        req_list content: AssistantContent,
    }
}

wire_object! {
    /// A function call (`RealtimeConversationItemFunctionCall`).
    #[derive(Default)]
    pub struct FunctionCallItem : "a function_call item object", open {
        /// `id`: the item id.
        opt id: String,
        /// `object`: always `realtime.item`.
        opt object: ItemObject,
        /// `status`: no effect on the conversation.
        opt status: ItemStatus,
        /// `call_id`: the call id.
        opt call_id: String,
        /// `name`: the function called.
        req name: String,
        /// `arguments`: JSON-encoded arguments, as a string.
        req arguments: String,
    }
}

wire_object! {
    /// A function call's output (`RealtimeConversationItemFunctionCallOutput`).
    #[derive(Default)]
    pub struct FunctionCallOutputItem : "a function_call_output item object", open {
        /// `id`: the item id.
        opt id: String,
        /// `object`: always `realtime.item`.
        opt object: ItemObject,
        /// `status`: no effect on the conversation.
        opt status: ItemStatus,
        /// `call_id`: the call this output answers.
        req call_id: String,
        /// `output`: free text (often JSON inside the string).
        req output: String,
    }
}

wire_object! {
    /// A reference to an earlier item: `{"type": "item_reference", "id": ...}`.
    #[derive(Default)]
    pub struct ItemReference : "an item_reference object", open {
        /// `id`: the referenced item.
        req id: String,
    }
}

wire_enum! {
    /// The `object` member of items: always `realtime.item`.
    #[derive(Default)]
    pub enum ItemObject {
        /// `realtime.item`
        #[default]
        RealtimeItem = "realtime.item",
    }
}

wire_enum! {
    /// The `status` of an item.
    pub enum ItemStatus {
        Completed = "completed",
        Incomplete = "incomplete",
        InProgress = "in_progress",
    }
}

impl ConversationItem {
    /// A user message with one `input_text` part.
    pub fn user_text(text: impl Into<String>) -> Self {
        ConversationItem::Message(MessageItem::User(UserMessage {
            content: vec![UserContent::input_text(text)],
            ..Default::default()
        }))
    }

    /// A system message with one `input_text` part.
    pub fn system_text(text: impl Into<String>) -> Self {
        ConversationItem::Message(MessageItem::System(SystemMessage {
            content: vec![SystemContent::input_text(text)],
            ..Default::default()
        }))
    }

    /// The output of a function call.
    pub fn function_call_output(call_id: impl Into<String>, output: impl Into<String>) -> Self {
        ConversationItem::FunctionCallOutput(FunctionCallOutputItem {
            call_id: call_id.into(),
            output: output.into(),
            ..Default::default()
        })
    }

    /// A reference to an earlier item.
    pub fn reference(id: impl Into<String>) -> Self {
        ConversationItem::ItemReference(ItemReference {
            id: id.into(),
            extra: Default::default(),
        })
    }
}
