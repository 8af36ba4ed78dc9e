//! The `session` of `session.update`: audio formats, turn detection,
//! transcription, truncation, and the generation settings it shares with
//! responses.

use super::{tools, Checker, Rule};
use crate::model::audio::{
    AudioFormat, AudioFormatType, AudioTranscription, CustomVoice, NoiseReduction,
};
use crate::model::audio::{Voice, PCM_RATE};
use crate::model::generation::{MaxOutputTokens, Modality, Reasoning};
use crate::model::session::{
    AudioInput, AudioOutput, RealtimeAudioConfig, TranscriptionAudioConfig,
};
use crate::model::tool_choice::ToolChoice;
use crate::model::tools::RealtimeTool;
use crate::model::tracing::{Tracing, TracingConfig};
use crate::model::truncation::{RetentionRatioTruncation, TokenLimits, Truncation};
use crate::model::turn_detection::{SemanticVad, ServerVad, TurnDetection};
use crate::wire::Nullable;
use crate::{ExtraMembers, RealtimeSessionConfig, SessionConfig, TranscriptionSessionConfig};

/// The schema of the realtime session being judged: the client's request
/// or the server's report of it.
fn realtime_schema(c: &Checker) -> &'static str {
    if c.server {
        "RealtimeSessionCreateResponseGA"
    } else {
        "RealtimeSessionCreateRequestGA"
    }
}

/// The schema of the transcription session being judged.
fn transcription_schema(c: &Checker) -> &'static str {
    if c.server {
        "RealtimeTranscriptionSessionCreateResponseGA"
    } else {
        "RealtimeTranscriptionSessionCreateRequestGA"
    }
}

/// The beta-era events whose session objects [`BETA_SESSION_MEMBERS`] lists.
const BETA_SESSION: &str = "RealtimeBetaClientEventSessionUpdate";
const BETA_TRANSCRIPTION_SESSION: &str = "RealtimeBetaClientEventTranscriptionSessionUpdate";

/// Members of the beta-era session objects that GA renamed or moved.
const BETA_SESSION_MEMBERS: &[&str] = &[
    "client_secret",
    "modalities",
    "voice",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "input_audio_noise_reduction",
    "speed",
    "turn_detection",
    "temperature",
    "max_response_output_tokens",
];

/// The transcription model that supports `delay` and rejects `prompt` and VAD.
const WHISPER: &str = "gpt-realtime-whisper";

pub(super) fn session(c: &mut Checker, session: &SessionConfig) {
    match session {
        SessionConfig::Realtime(config) => realtime(c, config),
        SessionConfig::Transcription(config) => {
            let TranscriptionSessionConfig {
                object,
                id,
                expires_at,
                audio,
                include: _,
                extra,
            } = &**config;
            session_object(
                c,
                transcription_schema(c),
                extra,
                BETA_TRANSCRIPTION_SESSION,
                [object.is_some(), id.is_some(), expires_at.is_some()],
            );
            let Some(audio) = audio else { return };
            c.member("audio", |c| transcription_audio(c, audio));
        }
    }
}

fn realtime(c: &mut Checker, config: &RealtimeSessionConfig) {
    let RealtimeSessionConfig {
        object,
        id,
        expires_at,
        output_modalities,
        model: _,
        instructions: _,
        audio,
        include: _,
        tracing,
        tools,
        tool_choice,
        parallel_tool_calls: _,
        reasoning,
        max_output_tokens,
        truncation,
        prompt,
        extra,
    } = config;
    session_object(
        c,
        realtime_schema(c),
        extra,
        BETA_SESSION,
        [object.is_some(), id.is_some(), expires_at.is_some()],
    );
    if let Some(modalities) = output_modalities {
        output_modalities_rule(c, modalities, realtime_schema(c));
    }
    if let Some(audio) = audio {
        c.member("audio", |c| realtime_audio(c, audio));
    }
    if let Some(Nullable::Value(Tracing::Config(config))) = tracing {
        c.member("tracing", |c| {
            let TracingConfig {
                workflow_name: _,
                group_id: _,
                metadata,
                extra,
            } = config;
            c.object(realtime_schema(c), extra);
            c.free_form_member("metadata", metadata.as_ref(), realtime_schema(c));
        });
    }
    model_settings(
        c,
        realtime_schema(c),
        tools,
        tool_choice,
        reasoning,
        max_output_tokens,
    );
    if let Some(truncation) = truncation {
        c.member("truncation", |c| truncation_rule(c, truncation));
    }
    if let Some(Nullable::Value(prompt)) = prompt {
        c.member("prompt", |c| tools::prompt(c, prompt));
    }
}

fn realtime_audio(c: &mut Checker, audio: &RealtimeAudioConfig) {
    let RealtimeAudioConfig {
        input,
        output,
        extra,
    } = audio;
    c.object(realtime_schema(c), extra);
    if let Some(input) = input {
        c.member("input", |c| audio_input(c, input, realtime_schema(c)));
    }
    if let Some(output) = output {
        c.member("output", |c| {
            let AudioOutput {
                format,
                voice,
                speed,
                extra,
            } = output;
            c.object(realtime_schema(c), extra);
            format_and_voice(c, format.as_ref(), voice.as_ref());
            if let Some(speed) = speed {
                if !(0.25..=1.5).contains(speed) {
                    c.report_member(
                        "speed",
                        Rule::SpeedRange,
                        realtime_schema(c),
                        format!("`speed` is {speed}; it must be between 0.25 and 1.5"),
                    );
                }
            }
        });
    }
}

/// Opens a session object of either kind: its unknown members (naming
/// those of the beta-era `beta_schema`) and the members only the server's
/// session carries, whether `object`, `id` and `expires_at` are `present`.
///
/// `object`, `id` and `expires_at` belong to the session the server reports
/// (`RealtimeSessionCreateResponseGA`, which requires `id` and `object`); the
/// client's request schema does not list them, so in `session.update` they
/// are unknown members.
fn session_object(
    c: &mut Checker,
    schema: &'static str,
    extra: &ExtraMembers,
    beta_schema: &str,
    present: [bool; 3],
) {
    c.object_with_beta(schema, extra, BETA_SESSION_MEMBERS, beta_schema);
    let [object, id, expires_at] = present;
    if c.server {
        for (name, present) in [("id", id), ("object", object)] {
            if !present {
                c.report(
                    Rule::ServerSession,
                    schema,
                    format!("the server's session has no `{name}`"),
                );
            }
        }
        return;
    }
    for (name, present) in [("object", object), ("id", id), ("expires_at", expires_at)] {
        if present {
            c.report_member(
                name,
                Rule::UnknownMember,
                schema,
                format!("unknown member `{name}`: only the server's session carries it"),
            );
        }
    }
}

fn transcription_audio(c: &mut Checker, audio: &TranscriptionAudioConfig) {
    let TranscriptionAudioConfig { input, extra } = audio;
    c.object(transcription_schema(c), extra);
    let Some(input) = input else { return };
    c.member("input", |c| {
        audio_input(c, input, transcription_schema(c));
        let whisper = matches!(
            &input.transcription,
            Some(Nullable::Value(AudioTranscription { model: Some(m), .. })) if m == WHISPER
        );
        if whisper && matches!(input.turn_detection, Some(Nullable::Value(_))) {
            c.report_member(
                "turn_detection",
                Rule::WhisperTurnDetection,
                "RealtimeTurnDetection",
                "a `gpt-realtime-whisper` transcription session must set `turn_detection` to null (no VAD)",
            );
        }
    });
}

fn audio_input(c: &mut Checker, input: &AudioInput, schema: &'static str) {
    let AudioInput {
        format,
        transcription,
        noise_reduction,
        turn_detection,
        extra,
    } = input;
    c.object(schema, extra);
    format_and_voice(c, format.as_ref(), None);
    if let Some(Nullable::Value(transcription)) = transcription {
        c.member("transcription", |c| transcription_rule(c, transcription));
    }
    if let Some(Nullable::Value(noise)) = noise_reduction {
        c.member("noise_reduction", |c| {
            let NoiseReduction { r#type: _, extra } = noise;
            c.object(schema, extra);
        });
    }
    if let Some(Nullable::Value(detection)) = turn_detection {
        c.member("turn_detection", |c| turn_detection_rule(c, detection));
    }
}

/// The `format` and `voice` members of an audio configuration: a
/// session's `audio.input` (no voice) and `audio.output`, a response's
/// `audio.output`.
pub(super) fn format_and_voice(
    c: &mut Checker,
    format: Option<&AudioFormat>,
    voice: Option<&Voice>,
) {
    if let Some(format) = format {
        c.member("format", |c| audio_format(c, format));
    }
    if let Some(voice) = voice {
        c.member("voice", |c| voice_rule(c, voice));
    }
}

pub(super) fn audio_format(c: &mut Checker, format: &AudioFormat) {
    const S: &str = "RealtimeAudioFormats";
    let AudioFormat {
        r#type,
        rate,
        extra,
    } = format;
    c.object(S, extra);
    let Some(rate) = rate else { return };
    match r#type {
        None | Some(AudioFormatType::Pcm) => {
            if *rate != PCM_RATE {
                c.report_member(
                    "rate",
                    Rule::PcmRate,
                    S,
                    format!("`rate` is {rate}; PCM audio is always {PCM_RATE} Hz"),
                );
            }
        }
        Some(AudioFormatType::Pcmu | AudioFormatType::Pcma) => c.report_member(
            "rate",
            Rule::G711Rate,
            S,
            "`rate` is not a member of the G.711 formats (`audio/pcmu`, `audio/pcma`)",
        ),
    }
}

pub(super) fn voice_rule(c: &mut Checker, voice: &Voice) {
    match voice {
        Voice::Named(_) => {}
        Voice::Custom(CustomVoice { id: _ }) => {
            c.closed("VoiceIdsOrCustomVoice");
            // The server's session and response resource give `voice` as
            // `VoiceIdsShared`, a name: a custom voice object there is not
            // what the schema describes.
            if c.server {
                c.report(
                    Rule::ServerVoiceName,
                    "VoiceIdsShared",
                    "a server reports `voice` as a name, not a custom voice object",
                );
            }
        }
    }
}

fn transcription_rule(c: &mut Checker, transcription: &AudioTranscription) {
    const S: &str = "AudioTranscription";
    let AudioTranscription {
        model,
        language: _,
        languages,
        keywords,
        prompt,
        delay,
        extra,
    } = transcription;
    c.object(S, extra);
    if languages.as_ref().is_some_and(Vec::is_empty) {
        c.report_member(
            "languages",
            Rule::MinItems,
            S,
            "`languages` is empty; give at least one language",
        );
    }
    // Support is stated for the known models only; another model may support anything.
    let Some(model) = model
        .as_deref()
        .filter(|m| AudioTranscription::KNOWN_MODELS.contains(m))
    else {
        return;
    };
    if delay.is_some() && model != WHISPER {
        c.report_member(
            "delay",
            Rule::TranscriptionModelSupport,
            S,
            format!("`delay` is supported only with `{WHISPER}`, not `{model}`"),
        );
    }
    if prompt.is_some() && model == WHISPER {
        c.report_member(
            "prompt",
            Rule::TranscriptionModelSupport,
            S,
            format!("`prompt` is not supported with `{WHISPER}`"),
        );
    }
    if !matches!(model, "gpt-transcribe" | "gpt-live-transcribe") {
        for (name, used) in [
            ("languages", languages.is_some()),
            ("keywords", keywords.is_some()),
        ] {
            if used {
                c.report_member(
                    name,
                    Rule::TranscriptionModelSupport,
                    S,
                    format!(
                        "`{name}` is supported by `gpt-transcribe` and `gpt-live-transcribe`, not `{model}`"
                    ),
                );
            }
        }
    }
}

fn turn_detection_rule(c: &mut Checker, detection: &TurnDetection) {
    const S: &str = "RealtimeTurnDetection";
    match detection {
        TurnDetection::ServerVad(ServerVad {
            threshold,
            prefix_padding_ms,
            silence_duration_ms,
            create_response: _,
            interrupt_response: _,
            idle_timeout_ms,
            extra,
        }) => {
            c.object(S, extra);
            if let Some(threshold) = threshold {
                if !(0.0..=1.0).contains(threshold) {
                    c.report_member(
                        "threshold",
                        Rule::VadThresholdRange,
                        S,
                        format!("`threshold` is {threshold}; it must be between 0.0 and 1.0"),
                    );
                }
            }
            for (name, value) in [
                ("prefix_padding_ms", prefix_padding_ms),
                ("silence_duration_ms", silence_duration_ms),
            ] {
                if let Some(ms) = value.filter(|ms| *ms < 0) {
                    c.report_member(
                        name,
                        Rule::NonNegative,
                        S,
                        format!("`{name}` is {ms}; a duration is not negative"),
                    );
                }
            }
            if let Some(Nullable::Value(ms)) = idle_timeout_ms {
                if !(5000..=30000).contains(ms) {
                    c.report_member(
                        "idle_timeout_ms",
                        Rule::IdleTimeoutRange,
                        S,
                        format!("`idle_timeout_ms` is {ms}; it must be between 5000 and 30000"),
                    );
                }
            }
        }
        TurnDetection::SemanticVad(SemanticVad {
            eagerness: _,
            create_response: _,
            interrupt_response: _,
            extra,
        }) => c.object(S, extra),
    }
}

fn truncation_rule(c: &mut Checker, truncation: &Truncation) {
    const S: &str = "RealtimeTruncation";
    let Truncation::RetentionRatio(RetentionRatioTruncation {
        r#type: _,
        retention_ratio,
        token_limits,
        extra,
    }) = truncation
    else {
        return;
    };
    c.object(S, extra);
    if !(0.0..=1.0).contains(retention_ratio) {
        c.report_member(
            "retention_ratio",
            Rule::RetentionRatioRange,
            S,
            format!("`retention_ratio` is {retention_ratio}; it must be between 0.0 and 1.0"),
        );
    }
    if let Some(limits) = token_limits {
        c.member("token_limits", |c| {
            let TokenLimits {
                post_instructions,
                extra,
            } = limits;
            c.object(S, extra);
            if let Some(n) = post_instructions.filter(|n| *n < 0) {
                c.report_member(
                    "post_instructions",
                    Rule::NonNegative,
                    S,
                    format!("`post_instructions` is {n}; the minimum is 0"),
                );
            }
        });
    }
}

/// What a session and a response both set for the model: `tools`,
/// `tool_choice`, `reasoning` and `max_output_tokens`, members of an object
/// of schema `schema`.
pub(super) fn model_settings(
    c: &mut Checker,
    schema: &'static str,
    tools: &Option<Vec<RealtimeTool>>,
    tool_choice: &Option<ToolChoice>,
    reasoning: &Option<Reasoning>,
    max_output_tokens: &Option<MaxOutputTokens>,
) {
    if let Some(tools) = tools {
        c.items("tools", tools, tools::tool);
    }
    if let Some(choice) = tool_choice {
        c.member("tool_choice", |c| tools::tool_choice(c, choice));
    }
    if let Some(reasoning) = reasoning {
        c.member("reasoning", |c| reasoning_rule(c, reasoning));
    }
    if let Some(max) = max_output_tokens {
        max_output_tokens_rule(c, max, schema);
    }
}

fn reasoning_rule(c: &mut Checker, reasoning: &Reasoning) {
    let Reasoning { effort: _, extra } = reasoning;
    c.object("RealtimeReasoning", extra);
}

pub(super) fn output_modalities_rule(
    c: &mut Checker,
    modalities: &[Modality],
    schema: &'static str,
) {
    if modalities.contains(&Modality::Text) && modalities.contains(&Modality::Audio) {
        c.report_member(
            "output_modalities",
            Rule::OutputModalities,
            schema,
            "`output_modalities` asks for both `text` and `audio`; choose one",
        );
    }
}

pub(super) fn max_output_tokens_rule(c: &mut Checker, max: &MaxOutputTokens, schema: &'static str) {
    if let MaxOutputTokens::Limit(n) = max {
        if !(1..=4096).contains(n) {
            c.report_member(
                "max_output_tokens",
                Rule::MaxOutputTokensRange,
                schema,
                format!("`max_output_tokens` is {n}; give 1 to 4096 or \"inf\""),
            );
        }
    }
}
