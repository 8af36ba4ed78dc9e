//! Conversation truncation, spec schema `RealtimeTruncation`: `"auto"`,
//! `"disabled"`, or a retention-ratio object.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::wire::shape::{Describe, Shape};
use crate::wire::visit_object;

/// How the conversation is truncated when it exceeds the input token limit.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Truncation {
    /// `"auto"` or `"disabled"`.
    Strategy(TruncationStrategy),
    /// `{"type": "retention_ratio", ...}`.
    RetentionRatio(RetentionRatioTruncation),
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

impl Describe for Truncation {
    fn shape() -> Shape {
        Shape::OneOf(vec![
            Shape::Enum(TruncationStrategy::VALUES),
            RetentionRatioTruncation::shape(),
        ])
    }
}

impl Serialize for Truncation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Truncation::Strategy(strategy) => strategy.serialize(serializer),
            Truncation::RetentionRatio(ratio) => ratio.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Truncation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TruncationVisitor;
        impl<'de> Visitor<'de> for TruncationVisitor {
            type Value = Truncation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"auto\", \"disabled\" or a retention_ratio truncation object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Truncation, E> {
                match v {
                    "auto" => Ok(Truncation::Strategy(TruncationStrategy::Auto)),
                    "disabled" => Ok(Truncation::Strategy(TruncationStrategy::Disabled)),
                    other => Err(E::unknown_variant(other, &["auto", "disabled"])),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Truncation, A::Error> {
                visit_object(map).map(Truncation::RetentionRatio)
            }
        }
        deserializer.deserialize_any(TruncationVisitor)
    }
}
