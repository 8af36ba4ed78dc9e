//! Prompt templates, spec schema `Prompt`, with `ResponsePromptVariables`
//! whose values are strings or input content (`InputTextContent`,
//! `InputImageContent`, `InputFileContent`).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::wire::shape::{Describe, Shape};
use crate::wire::visit_object;

wire_object! {
    /// A reference to a prompt template and its variables (`Prompt`).
    pub struct Prompt : "a prompt object", open {
        /// `id`: the prompt template.
        req id: String,
        /// `version`: the template version, or `null`.
        null version: String,
        /// `variables`: values substituted into the template, or `null`.
        null variables: BTreeMap<String, PromptVariable>,
    }
}

impl Prompt {
    /// A prompt reference by id.
    pub fn new(id: impl Into<String>) -> Self {
        Prompt {
            id: id.into(),
            version: None,
            variables: None,
            extra: Default::default(),
        }
    }
}

/// A prompt variable value: a string or an input content object.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum PromptVariable {
    /// A plain string.
    Text(String),
    /// Text, image or file input.
    Content(InputContent),
}

wire_union! {
    /// Input content for a prompt variable, tagged by `type`.
    pub enum InputContent : "an input content object", tag "type" {
        /// `input_text`: spec schema `InputTextContent`.
        "input_text" => Text(InputTextContent),
        /// `input_image`: spec schema `InputImageContent`.
        "input_image" => Image(InputImageContent),
        /// `input_file`: spec schema `InputFileContent`.
        "input_file" => File(InputFileContent),
    }
}

wire_object! {
    /// Spec schema `InputTextContent`.
    pub struct InputTextContent : "an input_text object", open {
        /// `text`: the text.
        req text: String,
        /// `prompt_cache_breakpoint`: ends a reusable prompt prefix.
        opt prompt_cache_breakpoint: PromptCacheBreakpoint,
    }
}

wire_object! {
    /// Spec schema `InputImageContent`.
    pub struct InputImageContent : "an input_image object", open {
        /// `image_url`: a URL or data URL, or `null`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::null_url))]
        null image_url: String,
        /// `file_id`: an uploaded file, or `null`.
        null file_id: String,
        /// `detail`: required by the spec (`ImageDetail`).
        req detail: ImageDetail,
        /// `prompt_cache_breakpoint`: ends a reusable prompt prefix.
        opt prompt_cache_breakpoint: PromptCacheBreakpoint,
    }
}

wire_object! {
    /// Spec schema `InputFileContent`.
    #[derive(Default)]
    pub struct InputFileContent : "an input_file object", open {
        /// `file_id`: an uploaded file, or `null`.
        null file_id: String,
        /// `filename`: the file name.
        opt filename: String,
        /// `file_data`: the file content.
        opt file_data: String,
        /// `prompt_cache_breakpoint`: ends a reusable prompt prefix.
        opt prompt_cache_breakpoint: PromptCacheBreakpoint,
        /// `file_url`: a URL of the file.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_url))]
        opt file_url: String,
        /// `detail`: spec schema `FileInputDetail`.
        opt detail: FileDetail,
    }
}

wire_object! {
    /// Spec schema `PromptCacheBreakpointConfig`.
    #[derive(Default)]
    pub struct PromptCacheBreakpoint : "a prompt cache breakpoint object", open {
        /// `mode`: always `explicit`.
        req mode: BreakpointMode,
    }
}

wire_enum! {
    /// `PromptCacheBreakpointConfig.mode`.
    #[derive(Default)]
    pub enum BreakpointMode {
        /// `explicit`
        #[default]
        Explicit = "explicit",
    }
}

wire_enum! {
    /// Spec schema `ImageDetail`.
    pub enum ImageDetail {
        /// `low`
        Low = "low",
        /// `high`
        High = "high",
        /// `auto`
        Auto = "auto",
        /// `original`
        Original = "original",
    }
}

wire_enum! {
    /// Spec schema `FileInputDetail`.
    pub enum FileDetail {
        /// `auto`
        Auto = "auto",
        /// `low`
        Low = "low",
        /// `high`
        High = "high",
    }
}

impl Describe for PromptVariable {
    fn shape() -> Shape {
        Shape::OneOf(vec![Shape::String, InputContent::shape()])
    }
}

impl Serialize for PromptVariable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PromptVariable::Text(text) => serializer.serialize_str(text),
            PromptVariable::Content(content) => content.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for PromptVariable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VariableVisitor;
        impl<'de> Visitor<'de> for VariableVisitor {
            type Value = PromptVariable;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an input content object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PromptVariable, E> {
                Ok(PromptVariable::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<PromptVariable, E> {
                Ok(PromptVariable::Text(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PromptVariable, A::Error> {
                visit_object(map).map(PromptVariable::Content)
            }
        }
        deserializer.deserialize_any(VariableVisitor)
    }
}
