//! The session the server holds: its defaults as `session.created` reports
//! them (`RealtimeSessionCreateResponseGA`,
//! `RealtimeTranscriptionSessionCreateResponseGA`), how a `session.update`
//! merges into it, and the settings the rest of the machine reads.

use crate::model::audio::{AudioTranscription, Voice};
use crate::model::generation::{MaxOutputTokens, Modality};
use crate::model::session::{
    AudioInput, AudioOutput, RealtimeAudioConfig, RealtimeSessionConfig, RealtimeSessionObject,
    SessionConfig, TranscriptionAudioConfig, TranscriptionSessionConfig,
};
use crate::model::tool_choice::{ToolChoice, ToolChoiceMode};
use crate::model::tools::RealtimeTool;
use crate::model::truncation::{Truncation, TruncationStrategy};
use crate::model::turn_detection::{Eagerness, SemanticVad, ServerVad, TurnDetection};
use crate::wire::Nullable;

use super::audio::Encoding;
use super::errors::ErrorReply;

/// The model a session reports when the client names none.
pub const DEFAULT_MODEL: &str = "gpt-realtime";

/// The voice a session reports when the client names none.
pub const DEFAULT_VOICE: &str = "marin";

/// The transcription model a transcription session starts with.
pub const DEFAULT_TRANSCRIPTION_MODEL: &str = "gpt-4o-transcribe";

/// How long a session lives, as OpenAI's does: 60 minutes.
pub const SESSION_SECONDS: i64 = 3600;

/// The instructions a session starts with.
const DEFAULT_INSTRUCTIONS: &str =
    "You are a reference Realtime server for testing clients. Replies are deterministic.";

/// A new realtime session: every member a real `session.created` carries.
pub fn realtime(id: String, model: &str, expires_at: i64) -> SessionConfig {
    SessionConfig::Realtime(Box::new(RealtimeSessionConfig {
        object: Some(RealtimeSessionObject::RealtimeSession),
        id: Some(id),
        expires_at: Some(expires_at),
        output_modalities: Some(vec![Modality::Audio]),
        model: Some(model.to_owned()),
        instructions: Some(DEFAULT_INSTRUCTIONS.to_owned()),
        audio: Some(RealtimeAudioConfig {
            input: Some(AudioInput {
                format: Some(Encoding::Pcm16.format()),
                transcription: Some(Nullable::Null),
                noise_reduction: Some(Nullable::Null),
                turn_detection: Some(Nullable::Value(TurnDetection::ServerVad(
                    default_server_vad(),
                ))),
                extra: Default::default(),
            }),
            output: Some(AudioOutput {
                format: Some(Encoding::Pcm16.format()),
                voice: Some(Voice::named(DEFAULT_VOICE)),
                speed: Some(1.0),
                extra: Default::default(),
            }),
            extra: Default::default(),
        }),
        tracing: Some(Nullable::Null),
        tools: Some(Vec::new()),
        tool_choice: Some(ToolChoice::Mode(ToolChoiceMode::Auto)),
        max_output_tokens: Some(MaxOutputTokens::Inf),
        truncation: Some(Truncation::Strategy(TruncationStrategy::Auto)),
        prompt: Some(Nullable::Null),
        ..Default::default()
    }))
}

/// A new transcription session (`?intent=transcription`).
pub fn transcription(id: String, expires_at: i64) -> SessionConfig {
    SessionConfig::Transcription(Box::new(TranscriptionSessionConfig {
        object: Some("realtime.transcription_session".to_owned()),
        id: Some(id),
        expires_at: Some(expires_at),
        audio: Some(TranscriptionAudioConfig {
            input: Some(AudioInput {
                format: Some(Encoding::Pcm16.format()),
                transcription: Some(Nullable::Value(AudioTranscription {
                    model: Some(DEFAULT_TRANSCRIPTION_MODEL.to_owned()),
                    ..Default::default()
                })),
                noise_reduction: Some(Nullable::Null),
                turn_detection: Some(Nullable::Value(TurnDetection::ServerVad(
                    default_server_vad(),
                ))),
                extra: Default::default(),
            }),
            extra: Default::default(),
        }),
        ..Default::default()
    }))
}

/// Server VAD with every member at the spec's default.
fn default_server_vad() -> ServerVad {
    ServerVad {
        threshold: Some(0.5),
        prefix_padding_ms: Some(300),
        silence_duration_ms: Some(500),
        create_response: Some(true),
        interrupt_response: Some(true),
        idle_timeout_ms: Some(Nullable::Null),
        extra: Default::default(),
    }
}

/// Fills the members a client left out of a turn detection object with
/// the defaults, as the server reports them back.
fn complete(turn_detection: &TurnDetection) -> TurnDetection {
    match turn_detection {
        TurnDetection::ServerVad(vad) => {
            let d = default_server_vad();
            TurnDetection::ServerVad(ServerVad {
                threshold: vad.threshold.or(d.threshold),
                prefix_padding_ms: vad.prefix_padding_ms.or(d.prefix_padding_ms),
                silence_duration_ms: vad.silence_duration_ms.or(d.silence_duration_ms),
                create_response: vad.create_response.or(d.create_response),
                interrupt_response: vad.interrupt_response.or(d.interrupt_response),
                idle_timeout_ms: vad.idle_timeout_ms.clone().or(d.idle_timeout_ms),
                extra: vad.extra.clone(),
            })
        }
        TurnDetection::SemanticVad(vad) => TurnDetection::SemanticVad(SemanticVad {
            eagerness: vad.eagerness.or(Some(Eagerness::Auto)),
            create_response: vad.create_response.or(Some(true)),
            interrupt_response: vad.interrupt_response.or(Some(true)),
            extra: vad.extra.clone(),
        }),
    }
}

/// Sets `slot` when the update carries the member.
fn take<T: Clone>(slot: &mut Option<T>, update: &Option<T>) {
    if update.is_some() {
        slot.clone_from(update);
    }
}

/// Merges the `audio.input` of an update.
fn merge_input(current: &mut AudioInput, update: &AudioInput) {
    take(&mut current.format, &update.format);
    take(&mut current.transcription, &update.transcription);
    take(&mut current.noise_reduction, &update.noise_reduction);
    if let Some(turn_detection) = &update.turn_detection {
        current.turn_detection = Some(match turn_detection {
            Nullable::Null => Nullable::Null,
            Nullable::Value(td) => Nullable::Value(complete(td)),
        });
    }
}

/// Applies a `session.update` to the session, or says why it cannot: the
/// session is left unchanged on error. `audio_sent` is whether the session
/// has produced audio (the voice is fixed from then on, as OpenAI's is).
pub fn merge(
    current: &mut SessionConfig,
    update: &SessionConfig,
    audio_sent: bool,
) -> Result<(), ErrorReply> {
    match (current, update) {
        (SessionConfig::Realtime(current), SessionConfig::Realtime(update)) => {
            let new_voice = update
                .audio
                .as_ref()
                .and_then(|a| a.output.as_ref())
                .and_then(|o| o.voice.as_ref());
            let old_voice = current
                .audio
                .as_ref()
                .and_then(|a| a.output.as_ref())
                .and_then(|o| o.voice.as_ref());
            if audio_sent && new_voice.is_some() && new_voice != old_voice {
                return Err(ErrorReply::invalid(
                    "cannot_update_voice",
                    "Cannot update a conversation's voice if assistant audio is present.",
                    Some("session.audio.output.voice".to_owned()),
                ));
            }
            // The server-only members (`id`, `object`, `expires_at`) are the
            // server's: an update cannot change them.
            take(&mut current.output_modalities, &update.output_modalities);
            take(&mut current.model, &update.model);
            take(&mut current.instructions, &update.instructions);
            take(&mut current.include, &update.include);
            take(&mut current.tracing, &update.tracing);
            take(&mut current.tools, &update.tools);
            take(&mut current.tool_choice, &update.tool_choice);
            take(
                &mut current.parallel_tool_calls,
                &update.parallel_tool_calls,
            );
            take(&mut current.reasoning, &update.reasoning);
            take(&mut current.max_output_tokens, &update.max_output_tokens);
            take(&mut current.truncation, &update.truncation);
            take(&mut current.prompt, &update.prompt);
            if let Some(audio) = &update.audio {
                let mine = current.audio.get_or_insert_with(Default::default);
                if let Some(input) = &audio.input {
                    merge_input(mine.input.get_or_insert_with(Default::default), input);
                }
                if let Some(output) = &audio.output {
                    let out = mine.output.get_or_insert_with(Default::default);
                    take(&mut out.format, &output.format);
                    take(&mut out.voice, &output.voice);
                    take(&mut out.speed, &output.speed);
                }
            }
            Ok(())
        }
        (SessionConfig::Transcription(current), SessionConfig::Transcription(update)) => {
            take(&mut current.include, &update.include);
            if let Some(input) = update.audio.as_ref().and_then(|a| a.input.as_ref()) {
                let audio = current.audio.get_or_insert_with(Default::default);
                merge_input(audio.input.get_or_insert_with(Default::default), input);
            }
            Ok(())
        }
        (current, _) => {
            let (from, to) = match current {
                SessionConfig::Realtime(_) => ("realtime", "transcription"),
                SessionConfig::Transcription(_) => ("transcription", "realtime"),
            };
            Err(ErrorReply::invalid(
                "invalid_value",
                format!("Cannot change the session type from `{from}` to `{to}`."),
                Some("session.type".to_owned()),
            ))
        }
    }
}

/// The settings of a session the machine reads, whichever its type.
pub trait SessionView {
    /// `audio.input`.
    fn input(&self) -> Option<&AudioInput>;
    /// The realtime branch, if the session is one.
    fn as_realtime(&self) -> Option<&RealtimeSessionConfig>;

    /// The input audio encoding.
    fn input_encoding(&self) -> Encoding {
        Encoding::of(self.input().and_then(|i| i.format.as_ref()))
    }

    /// The turn detection in force, if any.
    fn turn_detection(&self) -> Option<&TurnDetection> {
        self.input()?.turn_detection.as_ref()?.as_value()
    }

    /// The input transcription settings, if transcription is on.
    fn transcription(&self) -> Option<&AudioTranscription> {
        self.input()?.transcription.as_ref()?.as_value()
    }

    /// `audio.output`.
    fn output(&self) -> Option<&AudioOutput> {
        self.as_realtime()?.audio.as_ref()?.output.as_ref()
    }

    /// The session's function and MCP tools.
    fn tools(&self) -> &[RealtimeTool] {
        self.as_realtime()
            .and_then(|s| s.tools.as_deref())
            .unwrap_or_default()
    }
}

impl SessionView for SessionConfig {
    fn input(&self) -> Option<&AudioInput> {
        match self {
            SessionConfig::Realtime(s) => s.audio.as_ref()?.input.as_ref(),
            SessionConfig::Transcription(s) => s.audio.as_ref()?.input.as_ref(),
        }
    }

    fn as_realtime(&self) -> Option<&RealtimeSessionConfig> {
        match self {
            SessionConfig::Realtime(s) => Some(s),
            SessionConfig::Transcription(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::audio::AudioFormat;

    fn update(json: &str) -> SessionConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_update_changes_only_what_it_names() {
        let mut session = realtime("sess_1".into(), DEFAULT_MODEL, 1);
        let before = session.clone();
        merge(
            &mut session,
            &update(r#"{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcmu"},"turn_detection":{"type":"server_vad","threshold":0.7}}}}"#),
            false,
        )
        .unwrap();
        assert_eq!(session.input_encoding(), Encoding::Pcmu);
        let Some(TurnDetection::ServerVad(vad)) = session.turn_detection() else {
            panic!("server VAD kept");
        };
        assert_eq!(vad.threshold, Some(0.7));
        assert_eq!(vad.silence_duration_ms, Some(500), "defaults filled in");
        assert_eq!(session.output(), before.output(), "output untouched");
        assert_eq!(
            session.output().and_then(|o| o.format.clone()),
            Some(AudioFormat::pcm())
        );
    }

    #[test]
    fn null_turn_detection_turns_it_off_and_errors_change_nothing() {
        let mut session = realtime("sess_1".into(), DEFAULT_MODEL, 1);
        merge(
            &mut session,
            &update(r#"{"type":"realtime","audio":{"input":{"turn_detection":null}}}"#),
            false,
        )
        .unwrap();
        assert!(session.turn_detection().is_none());
        let before = session.clone();
        let err = merge(
            &mut session,
            &update(r#"{"type":"realtime","instructions":"x","audio":{"output":{"voice":"ash"}}}"#),
            true,
        )
        .unwrap_err();
        assert_eq!(err.code, "cannot_update_voice");
        assert_eq!(session, before);
        let err = merge(&mut session, &update(r#"{"type":"transcription"}"#), false).unwrap_err();
        assert_eq!(err.param.as_deref(), Some("session.type"));
        assert_eq!(session, before);
    }
}
