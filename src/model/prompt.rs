//! Prompt templates, spec schema `Prompt`, with `ResponsePromptVariables`
//! whose values are strings or input content (`InputTextContent`,
//! `InputImageContent`, `InputFileContent`).

use std::collections::BTreeMap;

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

one_of! {
    /// A prompt variable value (`ResponsePromptVariables` values): a string
    /// or an input content object.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum PromptVariable {
        /// A plain string.
        string Text(String) : "a string",
        /// Text, image or file input.
        object Content(InputContent),
    }
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
        Low = "low",
        High = "high",
        Auto = "auto",
        Original = "original",
    }
}

wire_enum! {
    /// Spec schema `FileInputDetail`.
    pub enum FileDetail {
        Auto = "auto",
        Low = "low",
        High = "high",
    }
}
