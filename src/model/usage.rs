//! Token and duration accounting the server reports: the `usage` of a
//! response (`RealtimeResponse.usage`) and of an input transcription
//! (`TranscriptTextUsageTokens` or `TranscriptTextUsageDuration`).
//!
//! Every count is an `i64`: the spec says `integer`, and the checker, not
//! the type, judges a negative count. A response's usage is generated whole
//! (`arb::opt_response_usage`), so that its totals add up.

wire_object! {
    /// `usage` of a response, spec schema `RealtimeResponse.usage`.
    #[derive(Default)]
    pub struct ResponseUsage : "a usage object", open {
        /// `total_tokens`: input plus output tokens.
        opt total_tokens: i64,
        /// `input_tokens`: tokens read, cached ones included.
        opt input_tokens: i64,
        /// `output_tokens`: tokens written.
        opt output_tokens: i64,
        /// `input_token_details`: the input tokens by kind.
        opt input_token_details: InputTokenDetails,
        /// `output_token_details`: the output tokens by kind.
        opt output_token_details: OutputTokenDetails,
    }
}

wire_object! {
    /// `usage.input_token_details` of a response.
    #[derive(Default)]
    pub struct InputTokenDetails : "an input token details object", open {
        /// `cached_tokens`: input tokens served from the cache.
        opt cached_tokens: i64,
        /// `text_tokens`.
        opt text_tokens: i64,
        /// `image_tokens`.
        opt image_tokens: i64,
        /// `audio_tokens`.
        opt audio_tokens: i64,
        /// `cached_tokens_details`: the cached tokens by kind.
        opt cached_tokens_details: CachedTokensDetails,
    }
}

wire_object! {
    /// `usage.input_token_details.cached_tokens_details` of a response.
    #[derive(Default)]
    pub struct CachedTokensDetails : "a cached tokens details object", open {
        /// `text_tokens`.
        opt text_tokens: i64,
        /// `image_tokens`.
        opt image_tokens: i64,
        /// `audio_tokens`.
        opt audio_tokens: i64,
    }
}

wire_object! {
    /// `usage.output_token_details` of a response.
    #[derive(Default)]
    pub struct OutputTokenDetails : "an output token details object", open {
        /// `text_tokens`.
        opt text_tokens: i64,
        /// `audio_tokens`.
        opt audio_tokens: i64,
    }
}

wire_union! {
    /// `usage` of `conversation.item.input_audio_transcription.completed`:
    /// billed by tokens or by duration, tagged by `type`.
    pub enum TranscriptionUsage : "a transcription usage object", tag "type" {
        /// `tokens`: spec schema `TranscriptTextUsageTokens`.
        "tokens" => Tokens(TranscriptionTokenUsage),
        /// `duration`: spec schema `TranscriptTextUsageDuration`.
        "duration" => Duration(TranscriptionDurationUsage),
    }
}

wire_object! {
    /// Transcription usage by tokens, spec schema `TranscriptTextUsageTokens`.
    #[derive(Default)]
    pub struct TranscriptionTokenUsage : "a token usage object", open {
        /// `input_tokens`: tokens read (audio and prompt text).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
        req input_tokens: i64,
        /// `input_token_details`: the input tokens by kind.
        opt input_token_details: TranscriptionInputTokenDetails,
        /// `output_tokens`: tokens written.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
        req output_tokens: i64,
        /// `total_tokens`: input plus output tokens.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::non_negative))]
        req total_tokens: i64,
    }
}

wire_object! {
    /// `input_token_details` of a token-billed transcription.
    #[derive(Default)]
    pub struct TranscriptionInputTokenDetails : "an input token details object", open {
        /// `text_tokens`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt text_tokens: i64,
        /// `audio_tokens`.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt audio_tokens: i64,
    }
}

wire_object! {
    /// Transcription usage by duration, spec schema
    /// `TranscriptTextUsageDuration`. Servers send `seconds` as an integer
    /// or a float; both read as `f64` and compare equal by value.
    #[derive(Default)]
    pub struct TranscriptionDurationUsage : "a duration usage object", open {
        /// `seconds`: the duration of the transcribed audio.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb::seconds))]
        req seconds: f64,
    }
}

#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    use super::{
        CachedTokensDetails, InputTokenDetails, OutputTokenDetails, ResponseUsage,
        TranscriptionUsage,
    };

    fn count(u: &mut Unstructured) -> Result<i64> {
        Ok(i64::from(u.int_in_range(0..=20_000u32)?))
    }

    /// A response's usage whose totals add up, as a server reports it.
    pub(crate) fn opt_response_usage(u: &mut Unstructured) -> Result<Option<ResponseUsage>> {
        if !u.arbitrary()? {
            return Ok(None);
        }
        let (text, audio, image) = (count(u)?, count(u)?, count(u)?);
        let cached = u.int_in_range(0..=text + audio + image)?;
        let (out_text, out_audio) = (count(u)?, count(u)?);
        let input = text + audio + image;
        let output = out_text + out_audio;
        let cached_text = u.int_in_range(0..=cached)?;
        Ok(Some(ResponseUsage {
            total_tokens: Some(input + output),
            input_tokens: Some(input),
            output_tokens: Some(output),
            input_token_details: Some(InputTokenDetails {
                cached_tokens: Some(cached),
                text_tokens: Some(text),
                image_tokens: Some(image),
                audio_tokens: Some(audio),
                cached_tokens_details: Some(CachedTokensDetails {
                    text_tokens: Some(cached_text),
                    image_tokens: Some(0),
                    audio_tokens: Some(cached - cached_text),
                    extra: u.arbitrary()?,
                }),
                extra: u.arbitrary()?,
            }),
            output_token_details: Some(OutputTokenDetails {
                text_tokens: Some(out_text),
                audio_tokens: Some(out_audio),
                extra: u.arbitrary()?,
            }),
            extra: u.arbitrary()?,
        }))
    }

    /// A transcription's usage whose total adds up.
    pub(crate) fn transcription(u: &mut Unstructured) -> Result<TranscriptionUsage> {
        let mut usage: TranscriptionUsage = u.arbitrary()?;
        if let TranscriptionUsage::Tokens(tokens) = &mut usage {
            tokens.total_tokens = tokens.input_tokens + tokens.output_tokens;
        }
        Ok(usage)
    }

    /// A realistic, finite duration.
    pub(crate) fn seconds(u: &mut Unstructured) -> Result<f64> {
        crate::wire::arb::finite(u, 0.0, 3600.0)
    }
}
