//! Tools a session or response offers the model: function tools
//! (`RealtimeFunctionTool`) and remote MCP servers (`MCPTool`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::wire::RawObject;

wire_union! {
    /// A `tools` item: `oneOf [RealtimeFunctionTool, MCPTool]`.
    ///
    /// `RealtimeFunctionTool` does not require `type`, so an object without
    /// it is a function tool; [`FunctionTool::type`] records whether `type`
    /// was sent so that the frame round-trips unchanged.
    pub enum RealtimeTool : "a tool object", tag "type", absent => Function {
        /// `function` (or no `type`): spec schema `RealtimeFunctionTool`.
        "function" => Function(FunctionTool) [owns_tag],
        /// `mcp`: spec schema `MCPTool`.
        "mcp" => Mcp(Box<McpTool>),
    }
}

wire_object! {
    /// A function the model may call, spec schema `RealtimeFunctionTool`.
    /// No member is required by the spec.
    #[derive(Default)]
    pub struct FunctionTool : "a function tool object", open {
        /// `type`: `function`, or absent.
        opt r#type: FunctionToolType,
        /// `name`: the function name.
        opt name: String,
        /// `description`: when and how to call it.
        opt description: String,
        /// `parameters`: a JSON Schema object, kept as written (member
        /// order, repeated names and number spelling included).
        opt parameters: RawObject,
    }
}

impl FunctionTool {
    /// A function tool with `type`, `name`, `description` and `parameters`.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: Map<String, Value>,
    ) -> Self {
        FunctionTool {
            r#type: Some(FunctionToolType::Function),
            name: Some(name.into()),
            description: Some(description.into()),
            parameters: Some(parameters.into()),
            extra: Default::default(),
        }
    }
}

wire_enum! {
    /// The `type` of a function tool: always `function`.
    #[derive(Default)]
    pub enum FunctionToolType {
        /// `function`
        #[default]
        Function = "function",
    }
}

wire_object! {
    /// A remote MCP server, spec schema `MCPTool`.
    pub struct McpTool : "an MCP tool object", open {
        /// `server_label`: names the server in tool calls.
        req server_label: String,
        /// `server_url`: the server URL (one of `server_url`, `connector_id`,
        /// `tunnel_id` is needed).
        // Always generated, so that every arbitrary MCP tool names a server.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::some_url))]
        opt server_url: String,
        /// `connector_id`: a service connector.
        opt connector_id: McpConnector,
        /// `tunnel_id`: a Secure MCP Tunnel id, `tunnel_` and 32 of `[a-z0-9]`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_tunnel_id))]
        opt tunnel_id: String,
        /// `authorization`: an OAuth access token.
        opt authorization: String,
        /// `server_description`: more context about the server.
        opt server_description: String,
        /// `headers`: HTTP headers sent to the server, or `null`.
        null headers: BTreeMap<String, String>,
        /// `allowed_tools`: tool names or a filter, or `null`.
        null allowed_tools: McpAllowedTools,
        /// `allowed_callers`: at least one invocation context, or `null`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_allowed_callers))]
        null_list allowed_callers: AllowedCaller,
        /// `require_approval`: which tools need approval, or `null`.
        null require_approval: McpRequireApproval,
        /// `defer_loading`: discover the tool through tool search.
        opt defer_loading: bool,
    }
}

impl McpTool {
    /// An MCP tool for the server at `server_url`.
    pub fn new(server_label: impl Into<String>, server_url: impl Into<String>) -> Self {
        McpTool {
            server_label: server_label.into(),
            server_url: Some(server_url.into()),
            connector_id: None,
            tunnel_id: None,
            authorization: None,
            server_description: None,
            headers: None,
            allowed_tools: None,
            allowed_callers: None,
            require_approval: None,
            defer_loading: None,
            extra: Default::default(),
        }
    }
}

#[cfg(feature = "arbitrary")]
fn arb_tunnel_id(u: &mut arbitrary::Unstructured) -> arbitrary::Result<Option<String>> {
    if !u.arbitrary()? {
        return Ok(None);
    }
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from("tunnel_");
    for _ in 0..32 {
        id.push(char::from(*u.choose(ALPHABET)?));
    }
    Ok(Some(id))
}

#[cfg(feature = "arbitrary")]
fn arb_allowed_callers(
    u: &mut arbitrary::Unstructured,
) -> arbitrary::Result<Option<crate::wire::Nullable<Vec<AllowedCaller>>>> {
    use crate::wire::Nullable;
    Ok(match u.choose_index(3)? {
        0 => None,
        1 => Some(Nullable::Null),
        _ => {
            let mut callers: Vec<AllowedCaller> = u.arbitrary()?;
            if callers.is_empty() {
                callers.push(u.arbitrary()?);
            }
            Some(Nullable::Value(callers))
        }
    })
}

wire_enum! {
    /// `MCPTool.connector_id`: the service connectors the spec lists.
    pub enum McpConnector {
        ConnectorDropbox = "connector_dropbox",
        ConnectorGmail = "connector_gmail",
        ConnectorGooglecalendar = "connector_googlecalendar",
        ConnectorGoogledrive = "connector_googledrive",
        ConnectorMicrosoftteams = "connector_microsoftteams",
        ConnectorOutlookcalendar = "connector_outlookcalendar",
        ConnectorOutlookemail = "connector_outlookemail",
        ConnectorSharepoint = "connector_sharepoint",
    }
}

wire_enum! {
    /// Spec schema `CallableToolAllowedCaller`.
    pub enum AllowedCaller {
        Direct = "direct",
        Programmatic = "programmatic",
    }
}

wire_object! {
    /// Spec schema `MCPToolFilter`; closed (`additionalProperties: false`).
    #[derive(Default)]
    pub struct McpToolFilter : "an MCP tool filter object", closed {
        /// `tool_names`: the tools the filter matches.
        opt_list tool_names: String,
        /// `read_only`: match tools annotated read-only.
        opt read_only: bool,
    }
}

one_of! {
    /// `MCPTool.allowed_tools`: a list of tool names or a filter.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum McpAllowedTools {
        /// An array of tool names.
        array Names(Vec<String>) : "an array of tool names",
        /// An `MCPToolFilter`.
        object Filter(McpToolFilter),
    }
}

one_of! {
    /// `MCPTool.require_approval`: one policy for all tools, or a filter object.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum McpRequireApproval {
        /// `"always"` or `"never"`.
        string Setting(McpApprovalSetting),
        /// `{"always": filter, "never": filter}`.
        object Filter(McpApprovalFilter),
    }
}

wire_enum! {
    /// "MCP tool approval setting".
    pub enum McpApprovalSetting {
        Always = "always",
        Never = "never",
    }
}

wire_object! {
    /// "MCP tool approval filter"; closed (`additionalProperties: false`).
    #[derive(Default)]
    pub struct McpApprovalFilter : "an MCP tool approval filter object", closed {
        /// `always`: tools that always need approval.
        opt always: McpToolFilter,
        /// `never`: tools that never need approval.
        opt never: McpToolFilter,
    }
}
