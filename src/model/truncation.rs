//! Conversation truncation, spec schema `RealtimeTruncation`: `"auto"`,
//! `"disabled"`, or a retention-ratio object.

one_of! {
    /// How the conversation is truncated when it exceeds the input token limit.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum Truncation {
        /// `"auto"` or `"disabled"`.
        string Strategy(TruncationStrategy),
        /// `{"type": "retention_ratio", ...}`.
        object RetentionRatio(RetentionRatioTruncation),
    }
}

wire_enum! {
    /// The string branch of `RealtimeTruncation`.
    pub enum TruncationStrategy {
        /// `auto`: the default strategy.
        Auto = "auto",
        /// `disabled`: never truncate; error when over the limit.
        Disabled = "disabled",
    }
}

wire_object! {
    /// Retention-ratio truncation (title "Retention ratio truncation").
    pub struct RetentionRatioTruncation : "a retention_ratio truncation object", open {
        /// `type`: always `retention_ratio`.
        req r#type: RetentionRatioType,
        /// `retention_ratio`: fraction of post-instruction tokens kept, 0.0 to 1.0.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::unit_interval))]
        req retention_ratio: f64,
        /// `token_limits`: custom token limits.
        opt token_limits: TokenLimits,
    }
}

wire_enum! {
    /// The `type` of a retention-ratio truncation: always `retention_ratio`.
    #[derive(Default)]
    pub enum RetentionRatioType {
        /// `retention_ratio`
        #[default]
        RetentionRatio = "retention_ratio",
    }
}

wire_object! {
    /// `token_limits` of a retention-ratio truncation.
    #[derive(Default)]
    pub struct TokenLimits : "a token_limits object", open {
        /// `post_instructions`: token budget after instructions (minimum 0).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt post_instructions: i64,
    }
}
