//! Generation controls shared by sessions and responses: output modalities,
//! `max_output_tokens`, reasoning (`RealtimeReasoning`), and `include`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::wire::shape::{Describe, Shape};

wire_enum! {
    /// An output modality (`output_modalities` items).
    pub enum Modality {
        /// `text`
        Text = "text",
        /// `audio` (always with a transcript)
        Audio = "audio",
    }
}

/// `max_output_tokens`: an integer (the spec describes 1 to 4096) or `"inf"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaxOutputTokens {
    /// A token limit.
    Limit(i64),
    /// `"inf"`: the model's maximum.
    Inf,
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

impl Describe for MaxOutputTokens {
    fn shape() -> Shape {
        Shape::OneOf(vec![Shape::Integer, Shape::Enum(&["inf"])])
    }
}

impl Serialize for MaxOutputTokens {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MaxOutputTokens::Limit(n) => serializer.serialize_i64(*n),
            MaxOutputTokens::Inf => serializer.serialize_str("inf"),
        }
    }
}

impl<'de> Deserialize<'de> for MaxOutputTokens {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MaxVisitor;
        impl Visitor<'_> for MaxVisitor {
            type Value = MaxOutputTokens;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer or \"inf\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MaxOutputTokens, E> {
                Ok(MaxOutputTokens::Limit(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MaxOutputTokens, E> {
                i64::try_from(v)
                    .map(MaxOutputTokens::Limit)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MaxOutputTokens, E> {
                match v {
                    "inf" => Ok(MaxOutputTokens::Inf),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }
        }
        deserializer.deserialize_any(MaxVisitor)
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
        /// `minimal`
        Minimal = "minimal",
        /// `low` (the default)
        Low = "low",
        /// `medium`
        Medium = "medium",
        /// `high`
        High = "high",
        /// `xhigh`
        Xhigh = "xhigh",
    }
}

wire_enum! {
    /// An `include` item: extra fields in server outputs.
    pub enum IncludeItem {
        /// `item.input_audio_transcription.logprobs`
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
