//! Turn detection, spec schema `RealtimeTurnDetection`: server VAD or
//! semantic VAD; `null` on the member turns detection off, which is not the
//! same as leaving the member out (keep the current setting).

wire_union! {
    /// `RealtimeTurnDetection` (non-null branch), tagged by `type`.
    pub enum TurnDetection : "a turn detection object", tag "type" {
        /// `server_vad`: detection by audio volume.
        "server_vad" => ServerVad(ServerVad),
        /// `semantic_vad`: detection by a turn-taking model.
        "semantic_vad" => SemanticVad(SemanticVad),
    }
}

wire_object! {
    /// Server VAD settings (`RealtimeTurnDetection`, title "Server VAD").
    #[derive(Default)]
    pub struct ServerVad : "a server_vad object", open {
        /// `threshold`: activation threshold, 0.0 to 1.0 (default 0.5).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_unit_interval))]
        opt threshold: f64,
        /// `prefix_padding_ms`: audio kept before detected speech (default 300).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt prefix_padding_ms: i64,
        /// `silence_duration_ms`: silence that ends speech (default 500).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_non_negative))]
        opt silence_duration_ms: i64,
        /// `create_response`: respond automatically at speech stop.
        opt create_response: bool,
        /// `interrupt_response`: cancel an ongoing response at speech start.
        opt interrupt_response: bool,
        /// `idle_timeout_ms`: 5000 to 30000, or `null` for none.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = super::turn_detection::arb::idle_timeout_ms))]
        null idle_timeout_ms: i64,
    }
}

wire_object! {
    /// Semantic VAD settings (`RealtimeTurnDetection`, title "Semantic VAD").
    #[derive(Default)]
    pub struct SemanticVad : "a semantic_vad object", open {
        /// `eagerness`: how quickly the model takes its turn.
        opt eagerness: Eagerness,
        /// `create_response`: respond automatically at speech stop.
        opt create_response: bool,
        /// `interrupt_response`: cancel an ongoing response at speech start.
        opt interrupt_response: bool,
    }
}

wire_enum! {
    /// Semantic VAD `eagerness`.
    pub enum Eagerness {
        /// `low`: waits longer (up to 8 s).
        Low = "low",
        /// `medium`: up to 4 s.
        Medium = "medium",
        /// `high`: responds quickly (up to 2 s).
        High = "high",
        /// `auto`: the default, equivalent to `medium`.
        Auto = "auto",
    }
}

/// Generators for this module's types where a derived value would not be
/// valid on the wire.
#[cfg(feature = "arbitrary")]
pub(crate) mod arb {
    use arbitrary::{Result, Unstructured};

    use crate::wire::arb::nullable;
    use crate::wire::Nullable;

    /// `idle_timeout_ms`: absent, null, or `5000..=30000`.
    pub(crate) fn idle_timeout_ms(u: &mut Unstructured) -> Result<Option<Nullable<i64>>> {
        nullable(u, |u| Ok(i64::from(u.int_in_range(5000..=30000u32)?)))
    }
}
