//! The `response` of `response.create`, spec schema
//! `RealtimeResponseCreateParams`: per-response overrides of the session
//! settings, an optional out-of-band conversation, and explicit input.

use std::collections::BTreeMap;

use super::audio::{AudioFormat, Voice};
use super::generation::{MaxOutputTokens, Modality, Reasoning};
use super::item::ConversationItem;
use super::prompt::Prompt;
use super::tool_choice::ToolChoice;
use super::tools::RealtimeTool;

/// Spec schema `Metadata`: up to 16 string pairs (keys up to 64 characters,
/// values up to 512).
pub type Metadata = BTreeMap<String, String>;

wire_object! {
    /// Parameters of one response (`RealtimeResponseCreateParams`); every
    /// member is optional.
    #[derive(Default)]
    pub struct RealtimeResponseCreateParams : "a response object", open {
        /// `output_modalities`: `["audio"]` or `["text"]`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::generation::arb::opt_modalities))]
        opt output_modalities: Vec<Modality>,
        /// `instructions`: instructions for this response.
        opt instructions: String,
        /// `audio`: output audio settings.
        opt audio: ResponseAudioConfig,
        /// `tools`: tools for this response.
        opt tools: Vec<RealtimeTool>,
        /// `tool_choice`: how the model picks tools.
        opt tool_choice: ToolChoice,
        /// `parallel_tool_calls`: allow several tool calls at once.
        opt parallel_tool_calls: bool,
        /// `reasoning`: reasoning effort.
        opt reasoning: Reasoning,
        /// `max_output_tokens`: an integer or `"inf"`.
        opt max_output_tokens: MaxOutputTokens,
        /// `conversation`: `auto` (default), `none` (out of band), or any
        /// other string; an open set ([`RealtimeResponseCreateParams::KNOWN_CONVERSATIONS`]).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_conversation))]
        opt conversation: String => crate::wire::shape::Shape::OpenString(RealtimeResponseCreateParams::KNOWN_CONVERSATIONS),
        /// `metadata`: string pairs, or `null`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::response::arb::metadata))]
        null metadata: Metadata,
        /// `prompt`: a prompt template reference, or `null`.
        null prompt: Prompt,
        /// `input`: items that replace the default conversation as context;
        /// may hold `item_reference`s.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_input))]
        opt input: Vec<ConversationItem>,
    }
}

impl RealtimeResponseCreateParams {
    /// The `conversation` values the spec names.
    pub const KNOWN_CONVERSATIONS: &'static [&'static str] = &["auto", "none"];
}

#[cfg(feature = "arbitrary")]
fn arb_conversation(u: &mut arbitrary::Unstructured) -> arbitrary::Result<Option<String>> {
    crate::wire::arb::opt_open_string(u, RealtimeResponseCreateParams::KNOWN_CONVERSATIONS)
}

#[cfg(feature = "arbitrary")]
fn arb_input(u: &mut arbitrary::Unstructured) -> arbitrary::Result<Option<Vec<ConversationItem>>> {
    if !u.arbitrary()? {
        return Ok(None);
    }
    // References are allowed here (and only here), so mix them in.
    let mut items = Vec::new();
    for _ in 0..u.int_in_range(0..=4u8)? {
        items.push(if u.ratio(1u8, 4u8)? {
            ConversationItem::reference(u.arbitrary::<String>()?)
        } else {
            u.arbitrary()?
        });
    }
    Ok(Some(items))
}

wire_object! {
    /// The `audio` member of a response.
    #[derive(Default)]
    pub struct ResponseAudioConfig : "an audio configuration object", open {
        /// `output`: output audio settings.
        opt output: ResponseAudioOutput,
    }
}

wire_object! {
    /// `audio.output` of a response.
    #[derive(Default)]
    pub struct ResponseAudioOutput : "an audio output object", open {
        /// `format`: spec schema `RealtimeAudioFormats`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::audio::arb::opt_audio_format))]
        opt format: AudioFormat,
        /// `voice`: spec schema `VoiceIdsOrCustomVoice`.
        opt voice: Voice,
    }
}

/// Generators for this module's types where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use std::collections::BTreeMap;

    use arbitrary::{Result, Unstructured};

    use crate::wire::arb::{nullable, string_up_to};
    use crate::wire::Nullable;

    /// `Metadata`: at most 16 pairs, keys up to 64 and values up to 512 characters.
    pub(crate) fn metadata(
        u: &mut Unstructured,
    ) -> Result<Option<Nullable<BTreeMap<String, String>>>> {
        nullable(u, |u| {
            let mut map = BTreeMap::new();
            for _ in 0..u.int_in_range(0..=16u8)? {
                map.insert(string_up_to(u, 64)?, string_up_to(u, 512)?);
            }
            Ok(map)
        })
    }
}
