//! Session tracing, the `tracing` member of `RealtimeSessionCreateRequestGA`
//! (title "Tracing Configuration"): `"auto"`, a configuration object, or
//! `null` (the member is `nullable`; `null` disables tracing).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::wire::shape::{Describe, Shape};
use crate::wire::visit_object;

/// Tracing configuration.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Tracing {
    /// `"auto"`: trace with default workflow name, group id and metadata.
    Auto,
    /// A granular configuration object.
    Config(TracingConfig),
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
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_json_object))]
        opt metadata: Map<String, Value>,
    }
}

impl Describe for Tracing {
    fn shape() -> Shape {
        Shape::OneOf(vec![Shape::Enum(&["auto"]), TracingConfig::shape()])
    }
}

impl Serialize for Tracing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tracing::Auto => serializer.serialize_str("auto"),
            Tracing::Config(config) => config.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Tracing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TracingVisitor;
        impl<'de> Visitor<'de> for TracingVisitor {
            type Value = Tracing;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"auto\" or a tracing configuration object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tracing, E> {
                match v {
                    "auto" => Ok(Tracing::Auto),
                    other => Err(E::unknown_variant(other, &["auto"])),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tracing, A::Error> {
                visit_object(map).map(Tracing::Config)
            }
        }
        deserializer.deserialize_any(TracingVisitor)
    }
}
