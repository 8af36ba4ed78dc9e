//! Audio configuration: formats (`RealtimeAudioFormats`), voices
//! (`VoiceIdsOrCustomVoice`), input transcription (`AudioTranscription`) and
//! noise reduction (`NoiseReductionType`).

use crate::wire::shape::Shape;

wire_object! {
    /// An audio format, spec schema `RealtimeAudioFormats`:
    /// `{"type": "audio/pcm", "rate": 24000}`, `{"type": "audio/pcmu"}` or
    /// `{"type": "audio/pcma"}`.
    ///
    /// The schema is an `anyOf` of three objects none of which requires
    /// `type`, so `type` is optional here too (the server then applies its
    /// default, PCM at 24 kHz). `rate` is kept for any type; the checker flags
    /// a rate other than 24000 and a rate on a G.711 format.
    ///
    /// `AudioFormat::default()` is that empty object, `{}`: it leaves the
    /// choice to the server. Use [`AudioFormat::pcm`] to say PCM explicitly.
    ///
    /// ```
    /// use realtime_harness::AudioFormat;
    ///
    /// assert_eq!(serde_json::to_string(&AudioFormat::default()).unwrap(), "{}");
    /// assert_eq!(
    ///     serde_json::to_string(&AudioFormat::pcm()).unwrap(),
    ///     r#"{"type":"audio/pcm","rate":24000}"#
    /// );
    /// ```
    #[derive(Default)]
    pub struct AudioFormat : "an audio format object", open {
        /// `type`: the encoding.
        opt r#type: AudioFormatType,
        /// `rate`: sample rate in Hz; the spec allows only 24000.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_pcm_rate))]
        opt rate: u32,
    }
}

/// The one PCM sample rate the spec allows.
pub const PCM_RATE: u32 = 24_000;

#[cfg(feature = "arbitrary")]
fn arb_pcm_rate(u: &mut arbitrary::Unstructured) -> arbitrary::Result<Option<u32>> {
    Ok(u.arbitrary::<bool>()?.then_some(PCM_RATE))
}

impl AudioFormat {
    /// `{"type": "audio/pcm", "rate": 24000}`: 16-bit PCM, 24 kHz, mono, little-endian.
    pub fn pcm() -> Self {
        AudioFormat {
            r#type: Some(AudioFormatType::Pcm),
            rate: Some(PCM_RATE),
            extra: Default::default(),
        }
    }

    /// `{"type": "audio/pcmu"}`: G.711 μ-law.
    pub fn pcmu() -> Self {
        AudioFormat {
            r#type: Some(AudioFormatType::Pcmu),
            rate: None,
            extra: Default::default(),
        }
    }

    /// `{"type": "audio/pcma"}`: G.711 A-law.
    pub fn pcma() -> Self {
        AudioFormat {
            r#type: Some(AudioFormatType::Pcma),
            rate: None,
            extra: Default::default(),
        }
    }
}

wire_enum! {
    /// `RealtimeAudioFormats` `type`.
    pub enum AudioFormatType {
        Pcm = "audio/pcm",
        Pcmu = "audio/pcmu",
        Pcma = "audio/pcma",
    }
}

one_of! {
    /// A voice, spec schema `VoiceIdsOrCustomVoice`: a name (`"marin"`) or a
    /// custom voice object (`{"id": "voice_1234"}`).
    ///
    /// Names are an open set: the spec lists built-in voices but accepts any
    /// string, so a voice released after this crate still parses.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum Voice {
        /// A voice name, built-in ([`Voice::BUILT_IN`]) or not.
        string Named(
            #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_voice_name))] String
        ) : "a voice name" => Shape::OpenString(Voice::BUILT_IN),
        /// A custom voice reference.
        object Custom(CustomVoice),
    }
}

impl Voice {
    /// The voice as a server reports it (`VoiceIdsShared`, a name): a custom
    /// voice becomes its id.
    pub fn into_named(self) -> Voice {
        match self {
            Voice::Custom(CustomVoice { id }) => Voice::Named(id),
            named => named,
        }
    }

    /// The built-in voices the spec lists (`VoiceIdsShared`).
    pub const BUILT_IN: &'static [&'static str] = &[
        "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar",
    ];

    /// A voice by name.
    pub fn named(name: impl Into<String>) -> Self {
        Voice::Named(name.into())
    }

    /// A custom voice by id.
    pub fn custom(id: impl Into<String>) -> Self {
        Voice::Custom(CustomVoice { id: id.into() })
    }
}

#[cfg(feature = "arbitrary")]
fn arb_voice_name(u: &mut arbitrary::Unstructured) -> arbitrary::Result<String> {
    crate::wire::arb::open_string(u, Voice::BUILT_IN)
}

wire_object! {
    /// A custom voice reference, `{"id": "voice_1234"}`. The spec closes this
    /// object (`additionalProperties: false`).
    pub struct CustomVoice : "a custom voice object", closed {
        /// `id`: the custom voice id.
        req id: String,
    }
}

wire_object! {
    /// Input audio transcription settings, spec schema `AudioTranscription`.
    #[derive(Default)]
    pub struct AudioTranscription : "an audio transcription object", open {
        /// `model`: an open set ([`AudioTranscription::KNOWN_MODELS`]).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb_transcription_model))]
        opt model: String => Shape::OpenString(AudioTranscription::KNOWN_MODELS),
        /// `language`: ISO-639-1 code of the input audio.
        opt language: String,
        /// `languages`: possible ISO-639-1 codes (at least one).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_empty_strings))]
        opt_list languages: String,
        /// `keywords`: words or phrases that guide transcription.
        opt_list keywords: String,
        /// `prompt`: text that guides style or continues a previous segment.
        opt prompt: String,
        /// `delay`: how long the model waits before emitting text.
        opt delay: TranscriptionDelay,
    }
}

impl AudioTranscription {
    /// The transcription models the spec names; others are accepted too.
    pub const KNOWN_MODELS: &'static [&'static str] = &[
        "whisper-1",
        "gpt-transcribe",
        "gpt-live-transcribe",
        "gpt-4o-mini-transcribe",
        "gpt-4o-mini-transcribe-2025-12-15",
        "gpt-4o-transcribe",
        "gpt-4o-transcribe-diarize",
        "gpt-realtime-whisper",
    ];
}

/// The transcription model with its own rules: it alone takes `delay`, and
/// it takes neither `prompt` nor turn detection.
pub const WHISPER_MODEL: &str = "gpt-realtime-whisper";

/// Transcription settings whose options fit the model, as the spec's
/// descriptions state: `delay` only with [`WHISPER_MODEL`], `prompt` never
/// with it, `languages` and `keywords` only with `gpt-transcribe` and
/// `gpt-live-transcribe` (or a model the spec does not name).
#[cfg(feature = "arbitrary")]
pub(crate) fn arbitrary_transcription(
    u: &mut arbitrary::Unstructured,
) -> arbitrary::Result<Option<crate::wire::Nullable<AudioTranscription>>> {
    use crate::wire::Nullable;
    match u.choose_index(3)? {
        0 => return Ok(None),
        1 => return Ok(Some(Nullable::Null)),
        _ => {}
    }
    let mut t: AudioTranscription = u.arbitrary()?;
    if let Some(model) = t
        .model
        .as_deref()
        .filter(|m| AudioTranscription::KNOWN_MODELS.contains(m))
    {
        if model == WHISPER_MODEL {
            t.prompt = None;
        } else {
            t.delay = None;
        }
        if !matches!(model, "gpt-transcribe" | "gpt-live-transcribe") {
            t.languages = None;
            t.keywords = None;
        }
    }
    Ok(Some(Nullable::Value(t)))
}

#[cfg(feature = "arbitrary")]
fn arb_transcription_model(u: &mut arbitrary::Unstructured) -> arbitrary::Result<Option<String>> {
    crate::wire::arb::opt_open_string(u, AudioTranscription::KNOWN_MODELS)
}

wire_enum! {
    /// `AudioTranscription.delay`.
    pub enum TranscriptionDelay {
        Minimal = "minimal",
        Low = "low",
        Medium = "medium",
        High = "high",
        Xhigh = "xhigh",
    }
}

wire_object! {
    /// Input noise reduction, the `audio.input.noise_reduction` object
    /// (`{"type": "near_field"}`); `null` on the member turns it off.
    #[derive(Default)]
    pub struct NoiseReduction : "a noise reduction object", open {
        /// `type`: spec schema `NoiseReductionType`.
        opt r#type: NoiseReductionType,
    }
}

wire_enum! {
    /// Spec schema `NoiseReductionType`.
    pub enum NoiseReductionType {
        /// `near_field`: close-talking microphones such as headsets.
        NearField = "near_field",
        /// `far_field`: laptop or conference-room microphones.
        FarField = "far_field",
    }
}

/// Generators for this module's types where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    use crate::wire::arb::{finite, opt};

    /// `audio.output.speed`: `0.25..=1.5`.
    pub(crate) fn opt_speed(u: &mut Unstructured) -> Result<Option<f64>> {
        opt(u, |u| finite(u, 0.25, 1.5))
    }

    /// An audio format whose members fit its type: `rate` (always 24000) only
    /// on PCM, and sometimes no `type` at all.
    pub(crate) fn opt_audio_format(u: &mut Unstructured) -> Result<Option<super::AudioFormat>> {
        use super::{AudioFormat, AudioFormatType, PCM_RATE};
        if !u.arbitrary()? {
            return Ok(None);
        }
        let (r#type, rate) = match u.choose_index(5)? {
            0 => (Some(AudioFormatType::Pcm), Some(PCM_RATE)),
            1 => (Some(AudioFormatType::Pcm), None),
            2 => (Some(AudioFormatType::Pcmu), None),
            3 => (Some(AudioFormatType::Pcma), None),
            _ => (None, None),
        };
        Ok(Some(AudioFormat {
            r#type,
            rate,
            extra: u.arbitrary()?,
        }))
    }
}
