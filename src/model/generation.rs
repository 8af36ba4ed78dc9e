//! Generation controls shared by sessions and responses: output modalities,
//! `max_output_tokens`, reasoning (`RealtimeReasoning`), and `include`.

wire_enum! {
    /// An output modality (`output_modalities` items).
    pub enum Modality {
        Text = "text",
        /// `audio` (always with a transcript)
        Audio = "audio",
    }
}

one_of! {
    /// `max_output_tokens`: an integer (the spec describes 1 to 4096) or `"inf"`.
    #[derive(Copy, Eq, Hash)]
    pub enum MaxOutputTokens {
        /// A token limit.
        integer Limit(i64) : "an integer",
        /// `"inf"`: the model's maximum.
        string Inf = MaxOutputTokensInf::Inf [invalid_value],
    }
}

wire_enum! {
    /// The string branch of `max_output_tokens`: always `inf`.
    pub enum MaxOutputTokensInf {
        Inf = "inf",
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for MaxOutputTokens {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(if u.arbitrary()? {
            MaxOutputTokens::Inf
        } else {
            MaxOutputTokens::Limit(i64::from(u.int_in_range(1..=4096u16)?))
        })
    }
}

wire_object! {
    /// Reasoning settings, spec schema `RealtimeReasoning`.
    #[derive(Default)]
    pub struct Reasoning : "a reasoning object", open {
        /// `effort`: spec schema `RealtimeReasoningEffort`.
        opt effort: ReasoningEffort,
    }
}

wire_enum! {
    /// Spec schema `RealtimeReasoningEffort`.
    pub enum ReasoningEffort {
        Minimal = "minimal",
        /// `low` (the default)
        Low = "low",
        Medium = "medium",
        High = "high",
        Xhigh = "xhigh",
    }
}

wire_enum! {
    /// An `include` item: extra fields in server outputs.
    pub enum IncludeItem {
        InputAudioTranscriptionLogprobs = "item.input_audio_transcription.logprobs",
    }
}

/// Generators for this module's types where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    /// `output_modalities`: absent, empty, `["text"]` or `["audio"]` (the spec
    /// does not allow both at once).
    pub(crate) fn opt_modalities(u: &mut Unstructured) -> Result<Option<Vec<super::Modality>>> {
        use super::Modality;
        Ok(match u.choose_index(4)? {
            0 => None,
            1 => Some(Vec::new()),
            2 => Some(vec![Modality::Text]),
            _ => Some(vec![Modality::Audio]),
        })
    }
}
