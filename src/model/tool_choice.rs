//! `tool_choice`: a mode (`ToolChoiceOptions`), or a forced function
//! (`ToolChoiceFunction`) or MCP tool (`ToolChoiceMCP`).

one_of! {
    /// How the model chooses tools.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum ToolChoice {
        /// `"none"`, `"auto"` or `"required"`.
        string Mode(ToolChoiceMode),
        /// An object forcing one tool.
        object Forced(ForcedTool),
    }
}

wire_enum! {
    /// Spec schema `ToolChoiceOptions`.
    pub enum ToolChoiceMode {
        /// `none`: never call a tool.
        None = "none",
        /// `auto`: the model decides (the default).
        Auto = "auto",
        /// `required`: call at least one tool.
        Required = "required",
    }
}

wire_union! {
    /// The object branches of `tool_choice`, tagged by `type`.
    pub enum ForcedTool : "a tool choice object", tag "type" {
        /// `function`: spec schema `ToolChoiceFunction`.
        "function" => Function(ToolChoiceFunction),
        /// `mcp`: spec schema `ToolChoiceMCP`.
        "mcp" => Mcp(ToolChoiceMcp),
    }
}

wire_object! {
    /// Forces a call of the named function (`ToolChoiceFunction`).
    pub struct ToolChoiceFunction : "a function tool choice object", open {
        /// `name`: the function to call.
        req name: String,
    }
}

wire_object! {
    /// Forces a call on an MCP server (`ToolChoiceMCP`).
    pub struct ToolChoiceMcp : "an MCP tool choice object", open {
        /// `server_label`: the server.
        req server_label: String,
        /// `name`: the tool on that server, or `null`.
        null name: String,
    }
}

impl ToolChoice {
    /// Forces a call of the named function.
    pub fn function(name: impl Into<String>) -> Self {
        ToolChoice::Forced(ForcedTool::Function(ToolChoiceFunction {
            name: name.into(),
            extra: Default::default(),
        }))
    }
}
