//! MCP conversation items: approval requests and responses
//! (`RealtimeMCPApprovalRequest`, `RealtimeMCPApprovalResponse`), tool
//! listings (`RealtimeMCPListTools`) and tool calls (`RealtimeMCPToolCall`).

use crate::wire::RawObject;

wire_object! {
    /// An answer to an MCP approval request (`RealtimeMCPApprovalResponse`).
    pub struct McpApprovalResponseItem : "an mcp_approval_response item object", open {
        /// `id`: the response id.
        req id: String,
        /// `approval_request_id`: the request answered.
        req approval_request_id: String,
        /// `approve`: the decision.
        req approve: bool,
        /// `reason`: why, or `null`.
        null reason: String,
    }
}

wire_object! {
    /// The tools an MCP server offers (`RealtimeMCPListTools`).
    pub struct McpListToolsItem : "an mcp_list_tools item object", open {
        /// `id`: the list id.
        opt id: String,
        /// `server_label`: the server.
        req server_label: String,
        /// `tools`: spec schema `MCPListToolsTool` items.
        req_list tools: McpListedTool,
    }
}

wire_object! {
    /// One tool of an MCP server (`MCPListToolsTool`).
    pub struct McpListedTool : "an MCP listed tool object", open {
        /// `name`: the tool name.
        req name: String,
        /// `description`: what it does, or `null`.
        null description: String,
        /// `input_schema`: the JSON Schema of its input.
        req input_schema: RawObject,
        /// `annotations`: extra annotations, or `null`.
        null annotations: RawObject,
    }
}

wire_object! {
    /// An MCP tool invocation (`RealtimeMCPToolCall`).
    pub struct McpCallItem : "an mcp_call item object", open {
        /// `id`: the call id.
        req id: String,
        /// `server_label`: the server that ran the tool.
        req server_label: String,
        /// `name`: the tool.
        req name: String,
        /// `arguments`: JSON-encoded arguments, as a string.
        req arguments: String,
        /// `approval_request_id`: the related approval request, or `null`.
        null approval_request_id: String,
        /// `output`: the tool's output, or `null`.
        null output: String,
        /// `error`: what went wrong, or `null`.
        null error: McpCallError,
    }
}

wire_object! {
    /// A request for approval of an MCP tool call (`RealtimeMCPApprovalRequest`).
    pub struct McpApprovalRequestItem : "an mcp_approval_request item object", open {
        /// `id`: the request id.
        req id: String,
        /// `server_label`: the server.
        req server_label: String,
        /// `name`: the tool to run.
        req name: String,
        /// `arguments`: JSON-encoded arguments, as a string.
        req arguments: String,
    }
}

wire_union! {
    /// The `error` of an MCP call, tagged by `type`.
    pub enum McpCallError : "an MCP error object", tag "type" {
        /// `protocol_error`: spec schema `RealtimeMCPProtocolError`.
        "protocol_error" => Protocol(McpCodedError),
        /// `tool_execution_error`: spec schema `RealtimeMCPToolExecutionError`.
        "tool_execution_error" => ToolExecution(McpToolExecutionError),
        /// `http_error`: spec schema `RealtimeMCPHTTPError`.
        "http_error" => Http(McpCodedError),
    }
}

wire_object! {
    /// A protocol or HTTP error: `code` and `message`.
    pub struct McpCodedError : "an MCP error object", open {
        /// `code`: the error code.
        req code: i64,
        /// `message`: what happened.
        req message: String,
    }
}

wire_object! {
    /// A tool execution error: `message`.
    pub struct McpToolExecutionError : "an MCP tool execution error object", open {
        /// `message`: what happened.
        req message: String,
    }
}
