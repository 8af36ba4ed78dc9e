//! Conversation items (`RealtimeConversationItem`) and message content
//! parts: which members each part type needs and which belong elsewhere.

use super::values;
use super::{Checker, Rule};
use crate::model::content::{
    AssistantContent, AssistantContentType, SystemContent, UserContent, UserContentType,
};
use crate::model::item::{
    AssistantMessage, FunctionCallItem, FunctionCallOutputItem, ItemReference, MessageItem,
    SystemMessage, UserMessage,
};
use crate::model::mcp_item::{
    McpApprovalRequestItem, McpApprovalResponseItem, McpCallError, McpCallItem, McpCodedError,
    McpListToolsItem, McpListedTool, McpToolExecutionError,
};
use crate::{ConversationItem, ExtraMembers};

/// Where an item stands: item references are allowed in `response.input` only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Placement {
    /// The `item` of `conversation.item.create`.
    ItemCreate,
    /// An item of `response.create` `response.input`.
    ResponseInput,
    /// An item a server reports (`conversation.item.*`,
    /// `response.output_item.*`, `response.output`): servers echo user audio
    /// parts without their `audio`.
    Server,
}

const SYSTEM: &str = "RealtimeConversationItemMessageSystem";
const USER: &str = "RealtimeConversationItemMessageUser";
const ASSISTANT: &str = "RealtimeConversationItemMessageAssistant";

/// Judges a message of one role: the three role types share their members
/// (`id`, `object`, `status`, `content`) and differ in the part type.
macro_rules! message {
    ($c:expr, $message:expr, $role:ident, $schema:expr, $part:expr) => {{
        let $role {
            id: _,
            object: _,
            status: _,
            content,
            extra,
        } = $message;
        $c.object($schema, extra);
        $c.items("content", content, $part);
    }};
}

pub(super) fn item(c: &mut Checker, item: &ConversationItem, placement: Placement) {
    match item {
        ConversationItem::Message(MessageItem::System(message)) => {
            message!(c, message, SystemMessage, SYSTEM, system_part)
        }
        ConversationItem::Message(MessageItem::User(message)) => {
            message!(c, message, UserMessage, USER, |c, part| user_part(
                c, part, placement
            ))
        }
        ConversationItem::Message(MessageItem::Assistant(message)) => {
            message!(c, message, AssistantMessage, ASSISTANT, |c, part| {
                assistant_part(c, part, placement)
            })
        }
        ConversationItem::FunctionCall(FunctionCallItem {
            id: _,
            object: _,
            status: _,
            call_id: _,
            name: _,
            arguments,
            extra,
        }) => call(c, "RealtimeConversationItemFunctionCall", arguments, extra),
        ConversationItem::FunctionCallOutput(FunctionCallOutputItem {
            id: _,
            object: _,
            status: _,
            call_id: _,
            output: _,
            extra,
        }) => c.object("RealtimeConversationItemFunctionCallOutput", extra),
        ConversationItem::McpApprovalResponse(McpApprovalResponseItem {
            id: _,
            approval_request_id: _,
            approve: _,
            reason: _,
            extra,
        }) => c.object("RealtimeMCPApprovalResponse", extra),
        ConversationItem::McpListTools(McpListToolsItem {
            id: _,
            server_label: _,
            tools,
            extra,
        }) => {
            c.object("RealtimeMCPListTools", extra);
            c.items("tools", tools, |c, tool| {
                let McpListedTool {
                    name: _,
                    description: _,
                    input_schema,
                    annotations,
                    extra,
                } = tool;
                c.object("MCPListToolsTool", extra);
                c.free_form_member("input_schema", Some(input_schema), "MCPListToolsTool");
                if let Some(crate::Nullable::Value(annotations)) = annotations {
                    c.free_form_member("annotations", Some(annotations), "MCPListToolsTool");
                }
            });
        }
        ConversationItem::McpCall(mcp_call) => {
            let McpCallItem {
                id: _,
                server_label: _,
                name: _,
                arguments,
                approval_request_id: _,
                output: _,
                error,
                extra,
            } = &**mcp_call;
            call(c, "RealtimeMCPToolCall", arguments, extra);
            if let Some(error) = error.as_ref().and_then(|e| e.as_value()) {
                c.member("error", |c| match error {
                    McpCallError::Protocol(McpCodedError {
                        code: _,
                        message: _,
                        extra,
                    }) => c.object("RealtimeMCPProtocolError", extra),
                    McpCallError::Http(McpCodedError {
                        code: _,
                        message: _,
                        extra,
                    }) => c.object("RealtimeMCPHTTPError", extra),
                    McpCallError::ToolExecution(McpToolExecutionError { message: _, extra }) => {
                        c.object("RealtimeMCPToolExecutionError", extra)
                    }
                });
            }
        }
        ConversationItem::McpApprovalRequest(McpApprovalRequestItem {
            id: _,
            server_label: _,
            name: _,
            arguments,
            extra,
        }) => call(c, "RealtimeMCPApprovalRequest", arguments, extra),
        ConversationItem::ItemReference(ItemReference { id: _, extra }) => {
            // No schema describes item references; the `input` member of
            // `RealtimeResponseCreateParams` is where the spec mentions them.
            c.object("RealtimeResponseCreateParams", extra);
            if placement != Placement::ResponseInput {
                c.report(
                    Rule::ItemReferencePlacement,
                    "RealtimeConversationItem",
                    "`item_reference` is allowed only in `response.input`, not as a conversation item",
                );
            }
        }
    }
}

/// A call of a function or an MCP tool (or a request to approve one): its
/// `arguments` are a JSON text.
fn call(c: &mut Checker, schema: &'static str, arguments: &str, extra: &ExtraMembers) {
    c.object(schema, extra);
    values::json_string(c, "arguments", arguments, schema);
}

fn system_part(c: &mut Checker, part: &SystemContent) {
    let SystemContent {
        r#type: _,
        text,
        extra,
    } = part;
    c.object(SYSTEM, extra);
    // `input_text` is the only system part type, so an absent `type` is unambiguous.
    if text.is_none() {
        missing(c, "input_text", "text", SYSTEM);
    }
}

/// Whether each member of a content part is present, named as the member:
/// `present!(part; UserContent { text, audio, ... })` is
/// `[("text", part.text.is_some()), ("audio", part.audio.is_some()), ...]`.
/// The pattern names `type`, `extra` and the listed members with no `..`,
/// so a member the model gains fails the build until it is listed.
macro_rules! present {
    ($part:expr; $content:ident { $($member:ident),+ }) => {{
        let $content {
            r#type: _,
            extra: _,
            $($member),+
        } = $part;
        [$((stringify!($member), $member.is_some())),+]
    }};
}

fn user_part(c: &mut Checker, part: &UserContent, placement: Placement) {
    c.object(USER, &part.extra);
    let present = present!(part; UserContent { text, audio, image_url, detail, transcript });
    let typed = part.r#type.map(|kind| -> PartType {
        match kind {
            UserContentType::InputText => ("input_text", Some("text"), &["text"]),
            UserContentType::InputAudio => (
                "input_audio",
                (placement != Placement::Server).then_some("audio"),
                &["audio", "transcript"],
            ),
            UserContentType::InputImage => {
                ("input_image", Some("image_url"), &["image_url", "detail"])
            }
        }
    });
    let types = "`input_text`, `input_audio` or `input_image`";
    part_type(c, typed, types, &present, USER, user_owner);
    if let Some(audio) = &part.audio {
        values::audio(c, "audio", audio, USER);
    }
    if let Some(url) = &part.image_url {
        if !values::is_uri(url) {
            values::uri(c, "image_url", Some(url), USER);
        } else if !is_image_data_uri(url) {
            c.report_member(
                "image_url",
                Rule::ImageDataUri,
                USER,
                "`image_url` is not a PNG or JPEG data URI (`data:image/png;base64,...`)",
            );
        }
    }
}

fn assistant_part(c: &mut Checker, part: &AssistantContent, placement: Placement) {
    c.object(ASSISTANT, &part.extra);
    let present = present!(part; AssistantContent { text, audio, transcript });
    let typed = part.r#type.map(|kind| -> PartType {
        match kind {
            AssistantContentType::OutputText => ("output_text", Some("text"), &["text"]),
            // "The transcript ... will always be present if the output type is audio."
            AssistantContentType::OutputAudio => {
                ("output_audio", Some("transcript"), &["audio", "transcript"])
            }
        }
    });
    let types = "`output_text` or `output_audio`";
    part_type(c, typed, types, &present, ASSISTANT, assistant_owner);
    let audio_part = part.r#type == Some(AssistantContentType::OutputAudio);
    if audio_part && placement == Placement::ItemCreate {
        c.report(
            Rule::AssistantAudio,
            "RealtimeClientEventConversationItemCreate",
            "`conversation.item.create` cannot populate assistant audio messages",
        );
    }
    if let Some(audio) = &part.audio {
        values::audio(c, "audio", audio, ASSISTANT);
    }
}

/// A part type's wire name, the member it needs (if any) and the members
/// that belong to it.
type PartType = (&'static str, Option<&'static str>, &'static [&'static str]);

/// Judges a content part's `type` (absent: reported, with the `types` it
/// may take), then its members as [`part_members`] does.
fn part_type(
    c: &mut Checker,
    typed: Option<PartType>,
    types: &str,
    present: &[(&str, bool)],
    schema: &'static str,
    owner: fn(&str) -> &'static str,
) {
    match typed {
        None => c.report(
            Rule::ContentPartType,
            schema,
            format!("content part has no `type` ({types})"),
        ),
        Some((name, needs, owns)) => part_members(c, name, needs, owns, present, schema, owner),
    }
}

/// Reports the member a part type needs when it is absent, and members
/// that belong to other part types.
fn part_members(
    c: &mut Checker,
    part_type: &str,
    needs: Option<&str>,
    owns: &[&str],
    present: &[(&str, bool)],
    schema: &'static str,
    owner: fn(&str) -> &'static str,
) {
    if let Some(needs) = needs {
        if !present.iter().any(|&(m, p)| m == needs && p) {
            missing(c, part_type, needs, schema);
        }
    }
    for &(member, is_present) in present {
        if is_present && !owns.contains(&member) {
            c.report_member(
                member,
                Rule::ContentPartForeignMember,
                schema,
                format!(
                    "`{member}` belongs to `{}` parts, not `{part_type}`",
                    owner(member)
                ),
            );
        }
    }
}

fn missing(c: &mut Checker, part_type: &str, member: &str, schema: &'static str) {
    c.report(
        Rule::ContentPartMember,
        schema,
        format!("`{part_type}` content part has no `{member}`"),
    );
}

fn user_owner(member: &str) -> &'static str {
    match member {
        "text" => "input_text",
        "audio" | "transcript" => "input_audio",
        _ => "input_image",
    }
}

fn assistant_owner(member: &str) -> &'static str {
    match member {
        "text" => "output_text",
        _ => "output_audio",
    }
}

fn is_image_data_uri(url: &str) -> bool {
    let lower = |n: usize| url.get(..n).map(str::to_ascii_lowercase);
    lower("data:image/png;base64,".len()).is_some_and(|p| p == "data:image/png;base64,")
        || lower("data:image/jpeg;base64,".len()).is_some_and(|p| p == "data:image/jpeg;base64,")
}
