//! Rate limits, the items of `rate_limits.updated`
//! (`RealtimeServerEventRateLimitsUpdated.rate_limits`).

wire_object! {
    /// One rate limit and what is left of it.
    #[derive(Default)]
    pub struct RateLimit : "a rate limit object", open {
        /// `name`: `requests` or `tokens`.
        opt name: RateLimitName,
        /// `limit`: the maximum.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt limit: i64,
        /// `remaining`: what is left before the limit is reached.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt remaining: i64,
        /// `reset_seconds`: seconds until the limit resets.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = arb::reset_seconds))]
        opt reset_seconds: f64,
    }
}

wire_enum! {
    /// `name` of a rate limit.
    pub enum RateLimitName {
        Requests = "requests",
        Tokens = "tokens",
    }
}

#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    use super::RateLimit;

    /// Rate limits with no more remaining than the limit.
    pub(crate) fn rate_limits(u: &mut Unstructured) -> Result<Vec<RateLimit>> {
        let mut limits: Vec<RateLimit> = u.arbitrary()?;
        for limit in &mut limits {
            if let (Some(max), Some(remaining)) = (limit.limit, &mut limit.remaining) {
                *remaining = (*remaining).min(max);
            }
        }
        Ok(limits)
    }

    pub(super) fn reset_seconds(u: &mut Unstructured) -> Result<Option<f64>> {
        crate::wire::arb::opt(u, |u| crate::wire::arb::finite(u, 0.0, 86_400.0))
    }
}
