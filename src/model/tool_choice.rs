//! `tool_choice`: a mode (`ToolChoiceOptions`), or a forced function
//! (`ToolChoiceFunction`) or MCP tool (`ToolChoiceMCP`).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::wire::shape::{Describe, Shape};
use crate::wire::visit_object;

/// How the model chooses tools.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum ToolChoice {
    /// `"none"`, `"auto"` or `"required"`.
    Mode(ToolChoiceMode),
    /// An object forcing one tool.
    Forced(ForcedTool),
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

impl Describe for ToolChoice {
    fn shape() -> Shape {
        Shape::OneOf(vec![
            Shape::Enum(ToolChoiceMode::VALUES),
            ForcedTool::shape(),
        ])
    }
}

impl Serialize for ToolChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ToolChoice::Mode(mode) => mode.serialize(serializer),
            ToolChoice::Forced(forced) => forced.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ToolChoice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ChoiceVisitor;
        impl<'de> Visitor<'de> for ChoiceVisitor {
            type Value = ToolChoice;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"none\", \"auto\", \"required\" or a tool choice object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ToolChoice, E> {
                ToolChoiceMode::deserialize(de::value::StrDeserializer::<E>::new(v))
                    .map(ToolChoice::Mode)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ToolChoice, A::Error> {
                visit_object(map).map(ToolChoice::Forced)
            }
        }
        deserializer.deserialize_any(ChoiceVisitor)
    }
}
