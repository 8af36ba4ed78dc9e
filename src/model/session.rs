//! Sessions: a realtime session or a transcription session, chosen by
//! `type`, as the client sends it in `session.update`
//! (`RealtimeSessionCreateRequestGA`, `RealtimeTranscriptionSessionCreateRequestGA`)
//! and as the server echoes it in `session.created` and `session.updated`
//! (`RealtimeSessionCreateResponseGA`, `RealtimeTranscriptionSessionCreateResponseGA`).
//!
//! One type serves both directions: the server's session is the client's
//! plus `id`, `object` and `expires_at`, which are optional members here.
//! Every member but `type` is optional: `session.update` is a partial
//! update, and a member left out keeps the server's current value. Which
//! members each direction needs or must not send is the checker's to judge.

use super::audio::{AudioFormat, AudioTranscription, NoiseReduction, Voice};
use super::generation::{IncludeItem, MaxOutputTokens, Modality, Reasoning};
use super::prompt::Prompt;
use super::tool_choice::ToolChoice;
use super::tools::RealtimeTool;
use super::tracing::Tracing;
use super::truncation::Truncation;
use super::turn_detection::TurnDetection;

wire_union! {
    /// The `session` member of `session.update`, tagged by `type`.
    ///
    /// Both branches are boxed: they are large and differ in size, and a
    /// `SessionConfig` is moved around whole.
    pub enum SessionConfig : "a session object", tag "type" {
        /// `realtime`: spec schema `RealtimeSessionCreateRequestGA`.
        "realtime" => Realtime(Box<RealtimeSessionConfig>),
        /// `transcription`: spec schema `RealtimeTranscriptionSessionCreateRequestGA`.
        "transcription" => Transcription(Box<TranscriptionSessionConfig>),
    }
}

wire_object! {
    /// A realtime session update, spec schema `RealtimeSessionCreateRequestGA`.
    #[derive(Default)]
    pub struct RealtimeSessionConfig : "a realtime session object", open {
        /// `object`: `realtime.session` (server only).
        #[cfg_attr(feature = "arbitrary", arbitrary(default))]
        opt object: RealtimeSessionObject,
        /// `id`: the session id (server only).
        #[cfg_attr(feature = "arbitrary", arbitrary(default))]
        opt id: String,
        /// `expires_at`: when the session expires, in seconds since the epoch
        /// (server only).
        #[cfg_attr(feature = "arbitrary", arbitrary(default))]
        opt expires_at: i64,
        /// `output_modalities`: `["audio"]` (default) or `["text"]`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::generation::arb::opt_modalities))]
        opt_list output_modalities: Modality,
        /// `model`: an open set ([`RealtimeSessionConfig::KNOWN_MODELS`]).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_model))]
        opt model: String => crate::wire::shape::Shape::OpenString(RealtimeSessionConfig::KNOWN_MODELS),
        /// `instructions`: the system instructions.
        opt instructions: String,
        /// `audio`: input and output audio settings.
        opt audio: RealtimeAudioConfig,
        /// `include`: extra fields in server outputs.
        opt_list include: IncludeItem,
        /// `tracing`: `"auto"`, a configuration, or `null` to disable.
        null tracing: Tracing,
        /// `tools`: function and MCP tools.
        opt_list tools: RealtimeTool,
        /// `tool_choice`: how the model picks tools.
        opt tool_choice: ToolChoice,
        /// `parallel_tool_calls`: allow several tool calls at once.
        opt parallel_tool_calls: bool,
        /// `reasoning`: reasoning effort for reasoning models.
        opt reasoning: Reasoning,
        /// `max_output_tokens`: an integer or `"inf"`.
        opt max_output_tokens: MaxOutputTokens,
        /// `truncation`: spec schema `RealtimeTruncation`.
        opt truncation: Truncation,
        /// `prompt`: a prompt template reference, or `null`.
        null prompt: Prompt,
    }
}

wire_enum! {
    /// `object` of a realtime session the server reports.
    pub enum RealtimeSessionObject {
        RealtimeSession = "realtime.session",
    }
}

impl RealtimeSessionConfig {
    /// The realtime models the spec names; others are accepted too.
    pub const KNOWN_MODELS: &'static [&'static str] = &[
        "gpt-realtime",
        "gpt-realtime-1.5",
        "gpt-realtime-2",
        "gpt-realtime-2.1",
        "gpt-realtime-2.1-mini",
        "gpt-realtime-2025-08-28",
        "gpt-4o-realtime-preview",
        "gpt-4o-realtime-preview-2024-10-01",
        "gpt-4o-realtime-preview-2024-12-17",
        "gpt-4o-realtime-preview-2025-06-03",
        "gpt-4o-mini-realtime-preview",
        "gpt-4o-mini-realtime-preview-2024-12-17",
        "gpt-realtime-mini",
        "gpt-realtime-mini-2025-10-06",
        "gpt-realtime-mini-2025-12-15",
        "gpt-audio-1.5",
        "gpt-audio-mini",
        "gpt-audio-mini-2025-10-06",
        "gpt-audio-mini-2025-12-15",
    ];
}

#[cfg(feature = "arbitrary")]
fn arb_model(u: &mut arbitrary::Unstructured) -> arbitrary::Result<Option<String>> {
    crate::wire::arb::opt_open_string(u, RealtimeSessionConfig::KNOWN_MODELS)
}

wire_object! {
    /// The `audio` member of a realtime session.
    #[derive(Default)]
    pub struct RealtimeAudioConfig : "an audio configuration object", open {
        /// `input`: input audio settings.
        opt input: AudioInput,
        /// `output`: output audio settings.
        opt output: AudioOutput,
    }
}

wire_object! {
    /// `audio.input` of a realtime or transcription session.
    ///
    /// `transcription`, `noise_reduction` and `turn_detection` keep an
    /// explicit `null` ("turn it off") apart from absent ("leave it").
    #[derive(Default)]
    pub struct AudioInput : "an audio input object", open {
        /// `format`: spec schema `RealtimeAudioFormats`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::audio::arb::opt_audio_format))]
        opt format: AudioFormat,
        /// `transcription`: settings, or `null` to turn transcription off.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::audio::arbitrary_transcription))]
        null transcription: AudioTranscription,
        /// `noise_reduction`: settings, or `null` to turn it off.
        null noise_reduction: NoiseReduction,
        /// `turn_detection`: spec schema `RealtimeTurnDetection`, or `null` to turn it off.
        null turn_detection: TurnDetection,
    }
}

wire_object! {
    /// `audio.output` of a realtime session.
    #[derive(Default)]
    pub struct AudioOutput : "an audio output object", open {
        /// `format`: spec schema `RealtimeAudioFormats`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::audio::arb::opt_audio_format))]
        opt format: AudioFormat,
        /// `voice`: spec schema `VoiceIdsOrCustomVoice`.
        opt voice: Voice,
        /// `speed`: 0.25 to 1.5 (default 1.0).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::audio::arb::opt_speed))]
        opt speed: f64,
    }
}

wire_object! {
    /// A transcription session update, spec schema
    /// `RealtimeTranscriptionSessionCreateRequestGA`.
    #[derive(Default)]
    pub struct TranscriptionSessionConfig : "a transcription session object", open {
        /// `object`: `realtime.transcription_session` (server only).
        #[cfg_attr(feature = "arbitrary", arbitrary(default))]
        opt object: String,
        /// `id`: the session id (server only).
        #[cfg_attr(feature = "arbitrary", arbitrary(default))]
        opt id: String,
        /// `expires_at`: when the session expires, in seconds since the epoch
        /// (server only).
        #[cfg_attr(feature = "arbitrary", arbitrary(default))]
        opt expires_at: i64,
        /// `audio`: input audio settings.
        opt audio: TranscriptionAudioConfig,
        /// `include`: extra fields in server outputs.
        opt_list include: IncludeItem,
    }
}

wire_object! {
    /// The `audio` member of a transcription session (input only).
    #[derive(Default)]
    pub struct TranscriptionAudioConfig : "an audio configuration object", open {
        /// `input`: input audio settings.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_transcription_input))]
        opt input: AudioInput,
    }
}

/// Transcription-session input that the spec's rules allow: the
/// `gpt-realtime-whisper` model does no VAD, so its `turn_detection` is `null`.
#[cfg(feature = "arbitrary")]
fn arb_transcription_input(
    u: &mut arbitrary::Unstructured,
) -> arbitrary::Result<Option<AudioInput>> {
    use crate::wire::Nullable;
    let Some(mut input) = u.arbitrary::<Option<AudioInput>>()? else {
        return Ok(None);
    };
    let whisper = matches!(
        &input.transcription,
        Some(Nullable::Value(AudioTranscription { model: Some(m), .. })) if m == super::audio::WHISPER_MODEL
    );
    if whisper && matches!(input.turn_detection, Some(Nullable::Value(_))) {
        input.turn_detection = Some(Nullable::Null);
    }
    Ok(Some(input))
}
