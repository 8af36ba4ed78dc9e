//! Responses: the `response` of `response.create`, spec schema
//! `RealtimeResponseCreateParams` (per-response overrides of the session
//! settings, an optional out-of-band conversation, and explicit input), and
//! the response resource the server reports in `response.created` and
//! `response.done`, spec schema `RealtimeResponse`.

use std::collections::BTreeMap;

use super::audio::{AudioFormat, Voice};
use super::generation::{MaxOutputTokens, Modality, Reasoning};
use super::item::ConversationItem;
use super::prompt::Prompt;
use super::tool_choice::ToolChoice;
use super::tools::RealtimeTool;
use super::usage::ResponseUsage;

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
        opt_list output_modalities: Modality,
        /// `instructions`: instructions for this response.
        opt instructions: String,
        /// `audio`: output audio settings.
        opt audio: ResponseAudioConfig,
        /// `tools`: tools for this response.
        opt_list tools: RealtimeTool,
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
        opt_list input: ConversationItem,
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
    /// The response resource, spec schema `RealtimeResponse`. Every member
    /// is optional in the spec; the checker judges what `response.created`
    /// and `response.done` must carry. Servers send `status_details: null`
    /// and `usage: null`, which read as absent.
    #[derive(Default)]
    pub struct RealtimeResponse : "a response resource object", open {
        /// `id`: the response id.
        opt id: String,
        /// `object`: always `realtime.response`.
        opt object: ResponseObject,
        /// `status`: where the response is in its lifecycle.
        opt status: ResponseStatus,
        /// `status_details`: why a response is not `completed`.
        opt status_details: ResponseStatusDetails,
        /// `output`: the items the response produced.
        opt_list output: ConversationItem,
        /// `metadata`: string pairs from `response.create`, or `null`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::response::arb::metadata))]
        null metadata: Metadata,
        /// `audio`: the output audio settings used.
        opt audio: ResponseAudioConfig,
        /// `usage`: tokens billed for the response.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::usage::arb::opt_response_usage))]
        opt usage: ResponseUsage,
        /// `conversation_id`: the conversation the response was added to.
        opt conversation_id: String,
        /// `output_modalities`: `["audio"]` or `["text"]`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::generation::arb::opt_modalities))]
        opt_list output_modalities: Modality,
        /// `max_output_tokens`: an integer or `"inf"`.
        opt max_output_tokens: MaxOutputTokens,
    }
}

wire_enum! {
    /// `object` of a response resource.
    pub enum ResponseObject {
        RealtimeResponse = "realtime.response",
    }
}

wire_enum! {
    /// `status` of a response resource.
    pub enum ResponseStatus {
        Completed = "completed",
        Cancelled = "cancelled",
        Failed = "failed",
        Incomplete = "incomplete",
        InProgress = "in_progress",
    }
}

wire_object! {
    /// `status_details` of a response resource: the kind of ending, the
    /// reason for a cancelled or incomplete one, the error of a failed one.
    #[derive(Default)]
    pub struct ResponseStatusDetails : "a status details object", open {
        /// `type`: the status these details explain.
        opt r#type: ResponseStatusDetailsType,
        /// `reason`: why the response was cancelled or is incomplete.
        opt reason: ResponseStatusReason,
        /// `error`: why the response failed.
        opt error: ResponseError,
    }
}

wire_enum! {
    /// `status_details.type` of a response resource.
    pub enum ResponseStatusDetailsType {
        Completed = "completed",
        Cancelled = "cancelled",
        Failed = "failed",
        Incomplete = "incomplete",
    }
}

wire_enum! {
    /// `status_details.reason` of a response resource.
    pub enum ResponseStatusReason {
        /// `turn_detected`: the user spoke (cancelled).
        TurnDetected = "turn_detected",
        /// `client_cancelled`: `response.cancel` (cancelled).
        ClientCancelled = "client_cancelled",
        /// `max_output_tokens`: the token limit was reached (incomplete).
        MaxOutputTokens = "max_output_tokens",
        /// `content_filter`: the output was filtered (incomplete).
        ContentFilter = "content_filter",
    }
}

wire_object! {
    /// `status_details.error` of a failed response.
    #[derive(Default)]
    pub struct ResponseError : "a response error object", open {
        /// `type`: the kind of error.
        opt r#type: String,
        /// `code`: a machine-readable code.
        opt code: String,
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

    use super::{
        RealtimeResponse, ResponseError, ResponseStatus, ResponseStatusDetails,
        ResponseStatusDetailsType, ResponseStatusReason,
    };

    /// A response resource with a server-style id and the given status.
    fn resource(u: &mut Unstructured, status: ResponseStatus) -> Result<Box<RealtimeResponse>> {
        let mut response: RealtimeResponse = u.arbitrary()?;
        response.id = Some(format!("resp_{}", u.int_in_range(0..=u32::MAX)?));
        // The resource gives its voice as a name (`VoiceIdsShared`).
        if let Some(output) = response.audio.as_mut().and_then(|a| a.output.as_mut()) {
            output.voice = output.voice.take().map(super::Voice::into_named);
        }
        response.status = Some(status);
        response.status_details = None;
        Ok(Box::new(response))
    }

    /// The resource of `response.created`: `in_progress`, no details yet.
    pub(crate) fn created(u: &mut Unstructured) -> Result<Box<RealtimeResponse>> {
        resource(u, ResponseStatus::InProgress)
    }

    /// The resource of `response.done`: a final status and details that
    /// explain it.
    pub(crate) fn done(u: &mut Unstructured) -> Result<Box<RealtimeResponse>> {
        use ResponseStatusDetailsType as T;
        let (status, kind) = *u.choose(&[
            (ResponseStatus::Completed, T::Completed),
            (ResponseStatus::Cancelled, T::Cancelled),
            (ResponseStatus::Incomplete, T::Incomplete),
            (ResponseStatus::Failed, T::Failed),
        ])?;
        let mut response = resource(u, status)?;
        let reason = match kind {
            T::Cancelled => Some(*u.choose(&[
                ResponseStatusReason::TurnDetected,
                ResponseStatusReason::ClientCancelled,
            ])?),
            T::Incomplete => Some(*u.choose(&[
                ResponseStatusReason::MaxOutputTokens,
                ResponseStatusReason::ContentFilter,
            ])?),
            _ => None,
        };
        let error = match kind {
            T::Failed => Some(u.arbitrary::<ResponseError>()?),
            _ => None,
        };
        if kind != T::Completed || u.arbitrary()? {
            response.status_details = Some(ResponseStatusDetails {
                r#type: Some(kind),
                reason,
                error,
                extra: u.arbitrary()?,
            });
        }
        Ok(response)
    }

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
