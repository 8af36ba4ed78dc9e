//! What the server reports about an input audio transcription besides its
//! text: log probabilities (`LogProbProperties`) and detected languages
//! (`TranscriptionLanguage`).

wire_object! {
    /// One token's log probability, spec schema `LogProbProperties`.
    #[derive(Default)]
    pub struct LogProb : "a log probability object", open {
        /// `token`: the token.
        req token: String,
        /// `logprob`: its log probability.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb::logprob))]
        req logprob: f64,
        /// `bytes`: the token's UTF-8 bytes.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb::bytes))]
        req_list bytes: i64,
    }
}

wire_object! {
    /// A language detected in the input audio, spec schema
    /// `TranscriptionLanguage`.
    #[derive(Default)]
    pub struct TranscriptionLanguage : "a transcription language object", open {
        /// `code`: the ISO-639-1 code.
        req code: String,
    }
}

#[cfg(feature = "arbitrary")]
mod arb {
    use arbitrary::{Result, Unstructured};

    /// A log probability: finite and at most 0.
    pub(super) fn logprob(u: &mut Unstructured) -> Result<f64> {
        crate::wire::arb::finite(u, -30.0, 0.0)
    }

    /// The bytes of a token, each in `0..=255`.
    pub(super) fn bytes(u: &mut Unstructured) -> Result<Vec<i64>> {
        let bytes: Vec<u8> = u.arbitrary()?;
        Ok(bytes.into_iter().take(16).map(i64::from).collect())
    }
}
