//! Tools (`RealtimeFunctionTool`, `MCPTool`), tool choice, and prompt
//! references (`Prompt`).

use super::values;
use super::{Checker, Rule};
use crate::model::prompt::{
    InputContent, InputFileContent, InputImageContent, InputTextContent, Prompt,
    PromptCacheBreakpoint, PromptVariable,
};
use crate::model::tool_choice::{ForcedTool, ToolChoice, ToolChoiceFunction, ToolChoiceMcp};
use crate::model::tools::{
    FunctionTool, McpAllowedTools, McpApprovalFilter, McpRequireApproval, McpTool, McpToolFilter,
};
use crate::wire::Nullable;
use crate::RealtimeTool;

const MCP: &str = "MCPTool";

pub(super) fn tool(c: &mut Checker, tool: &RealtimeTool) {
    match tool {
        RealtimeTool::Function(FunctionTool {
            r#type: _,
            name: _,
            description: _,
            parameters,
            extra,
        }) => {
            c.object("RealtimeFunctionTool", extra);
            c.free_form_member("parameters", parameters.as_ref(), "RealtimeFunctionTool");
        }
        RealtimeTool::Mcp(mcp) => mcp_tool(c, mcp),
    }
}

fn mcp_tool(c: &mut Checker, tool: &McpTool) {
    let McpTool {
        server_label: _,
        server_url,
        connector_id,
        tunnel_id,
        authorization: _,
        server_description: _,
        headers: _,
        allowed_tools,
        allowed_callers,
        require_approval,
        defer_loading: _,
        extra,
    } = tool;
    c.object(MCP, extra);
    if server_url.is_none() && connector_id.is_none() && tunnel_id.is_none() {
        c.report(
            Rule::McpServerTarget,
            MCP,
            "MCP tool names no server: give one of `server_url`, `connector_id`, `tunnel_id`",
        );
    }
    values::uri(c, "server_url", server_url.as_deref(), MCP);
    if let Some(id) = tunnel_id {
        if !is_tunnel_id(id) {
            c.report_member(
                "tunnel_id",
                Rule::TunnelIdPattern,
                MCP,
                "`tunnel_id` does not match ^tunnel_[a-z0-9]{32}$",
            );
        }
    }
    if let Some(Nullable::Value(McpAllowedTools::Filter(filter))) = allowed_tools {
        c.member("allowed_tools", |c| tool_filter(c, filter));
    }
    if let Some(Nullable::Value(callers)) = allowed_callers {
        if callers.is_empty() {
            c.report_member(
                "allowed_callers",
                Rule::MinItems,
                MCP,
                "`allowed_callers` is empty; give at least one caller or null",
            );
        }
    }
    if let Some(Nullable::Value(McpRequireApproval::Filter(McpApprovalFilter { always, never }))) =
        require_approval
    {
        c.member("require_approval", |c| {
            c.closed(MCP);
            for (name, filter) in [("always", always), ("never", never)] {
                if let Some(filter) = filter {
                    c.member(name, |c| tool_filter(c, filter));
                }
            }
        });
    }
}

fn tool_filter(c: &mut Checker, filter: &McpToolFilter) {
    let McpToolFilter {
        tool_names: _,
        read_only: _,
    } = filter;
    c.closed("MCPToolFilter");
}

/// `^tunnel_[a-z0-9]{32}$`.
fn is_tunnel_id(id: &str) -> bool {
    id.strip_prefix("tunnel_").is_some_and(|rest| {
        rest.len() == 32
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

pub(super) fn tool_choice(c: &mut Checker, choice: &ToolChoice) {
    match choice {
        ToolChoice::Mode(_) => {}
        ToolChoice::Forced(ForcedTool::Function(ToolChoiceFunction { name: _, extra })) => {
            c.object("ToolChoiceFunction", extra)
        }
        ToolChoice::Forced(ForcedTool::Mcp(ToolChoiceMcp {
            server_label: _,
            name: _,
            extra,
        })) => c.object("ToolChoiceMCP", extra),
    }
}

pub(super) fn prompt(c: &mut Checker, prompt: &Prompt) {
    let Prompt {
        id: _,
        version: _,
        variables,
        extra,
    } = prompt;
    c.object("Prompt", extra);
    let Some(Nullable::Value(variables)) = variables else {
        return;
    };
    c.member("variables", |c| {
        c.closed("ResponsePromptVariables");
        for (name, variable) in variables {
            let PromptVariable::Content(content) = variable else {
                continue;
            };
            c.member(name, |c| input_content(c, content));
        }
    });
}

fn input_content(c: &mut Checker, content: &InputContent) {
    match content {
        InputContent::Text(InputTextContent {
            text: _,
            prompt_cache_breakpoint,
            extra,
        }) => {
            c.object("InputTextContent", extra);
            breakpoint(c, prompt_cache_breakpoint);
        }
        InputContent::Image(InputImageContent {
            image_url,
            file_id: _,
            detail: _,
            prompt_cache_breakpoint,
            extra,
        }) => {
            const S: &str = "InputImageContent";
            c.object(S, extra);
            if let Some(Nullable::Value(url)) = image_url {
                values::uri(c, "image_url", Some(url), S);
            }
            breakpoint(c, prompt_cache_breakpoint);
        }
        InputContent::File(InputFileContent {
            file_id: _,
            filename: _,
            file_data: _,
            prompt_cache_breakpoint,
            file_url,
            detail: _,
            extra,
        }) => {
            const S: &str = "InputFileContent";
            c.object(S, extra);
            values::uri(c, "file_url", file_url.as_deref(), S);
            breakpoint(c, prompt_cache_breakpoint);
        }
    }
}

fn breakpoint(c: &mut Checker, breakpoint: &Option<PromptCacheBreakpoint>) {
    if let Some(PromptCacheBreakpoint { mode: _, extra }) = breakpoint {
        c.member("prompt_cache_breakpoint", |c| {
            c.object("PromptCacheBreakpointConfig", extra)
        });
    }
}
