//! Session tracing, the `tracing` member of `RealtimeSessionCreateRequestGA`
//! (title "Tracing Configuration"): `"auto"`, a configuration object, or
//! `null` (the member is `nullable`; `null` disables tracing).

use crate::wire::RawObject;

one_of! {
    /// Tracing configuration: `"auto"` or a configuration object.
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub enum Tracing {
        /// `"auto"`: trace with default workflow name, group id and metadata.
        string Auto = TracingAuto::Auto,
        /// A granular configuration object.
        object Config(TracingConfig),
    }
}

wire_enum! {
    /// The string branch of `tracing` (title "auto"): always `auto`.
    pub enum TracingAuto {
        Auto = "auto",
    }
}

wire_object! {
    /// Granular tracing configuration.
    #[derive(Default)]
    pub struct TracingConfig : "a tracing configuration object", open {
        /// `workflow_name`: names the trace in the Traces Dashboard.
        opt workflow_name: String,
        /// `group_id`: groups traces for filtering.
        opt group_id: String,
        /// `metadata`: arbitrary metadata attached to the trace.
        opt metadata: RawObject,
    }
}
