//! What the checker reports: rules, findings and the report of one frame.

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// A shape the spec tolerates or does not forbid outright, but that a
    /// client should not send (an explicit `null` on a non-nullable member,
    /// an unknown member, a member of another content part type).
    Warning,
    /// The frame breaks a rule of the spec.
    Error,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Declares [`Rule`] from one table: variant, stable id, severity, summary.
macro_rules! rules {
    ( $( $(#[$attr:meta])* $variant:ident = $id:literal, $severity:ident, $summary:literal; )* ) => {
        /// A conformance rule. Ids are stable, kebab-case, and documented by
        /// [`Rule::summary`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $( $(#[$attr])* #[doc = concat!("`", $id, "`: ", $summary)] $variant, )*
        }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            /// The stable id, e.g. `"event-id-length"`.
            pub const fn id(self) -> &'static str {
                match self { $( Rule::$variant => $id, )* }
            }

            /// The severity of every finding of this rule.
            pub const fn severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$severity, )* }
            }

            /// What the rule requires, in one line.
            pub const fn summary(self) -> &'static str {
                match self { $( Rule::$variant => $summary, )* }
            }

            /// The rule with the given id.
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $( $id => Some(Rule::$variant), )* _ => None }
            }
        }
    };
}

rules! {
    UnknownEventType = "unknown-event-type", Error,
        "`type` is one of the eleven GA client events";
    BetaEventType = "beta-event-type", Warning,
        "`transcription_session.update` is beta-era: valid per its own legacy schema, not a GA event";
    EventIdLength = "event-id-length", Error,
        "`event_id` is at most 512 characters";
    AudioBase64 = "audio-base64", Error,
        "audio is base64 with the standard alphabet and padding";
    AudioSize = "audio-size", Error,
        "audio decodes to at most 15 MiB";
    ContentPartType = "content-part-type", Warning,
        "a user or assistant content part says its `type`";
    ContentPartMember = "content-part-member", Error,
        "a content part carries the member its type needs (`text`, `audio`, `image_url`, `transcript`)";
    ContentPartForeignMember = "content-part-foreign-member", Warning,
        "a content part carries no member that belongs to another part type";
    AssistantAudio = "assistant-audio", Warning,
        "`conversation.item.create` cannot populate assistant audio messages";
    ItemReferencePlacement = "item-reference-placement", Error,
        "`item_reference` items appear only in `response.input`";
    ContentIndexZero = "content-index-zero", Warning,
        "`conversation.item.truncate` `content_index` is 0, as the spec says to set it";
    NonNegative = "non-negative", Error,
        "indexes, durations and token limits are not negative";
    SpeedRange = "speed-range", Error,
        "`audio.output.speed` is between 0.25 and 1.5";
    VadThresholdRange = "vad-threshold-range", Error,
        "server VAD `threshold` is between 0.0 and 1.0";
    IdleTimeoutRange = "idle-timeout-range", Error,
        "server VAD `idle_timeout_ms` is between 5000 and 30000";
    RetentionRatioRange = "retention-ratio-range", Error,
        "`truncation.retention_ratio` is between 0.0 and 1.0";
    MaxOutputTokensRange = "max-output-tokens-range", Error,
        "`max_output_tokens` is an integer between 1 and 4096, or \"inf\"";
    PcmRate = "pcm-rate", Error,
        "PCM audio (and a format without `type`, which defaults to PCM) has `rate` 24000";
    G711Rate = "g711-rate", Warning,
        "the G.711 formats `audio/pcmu` and `audio/pcma` have no `rate`";
    OutputModalities = "output-modalities", Error,
        "`output_modalities` does not request both `text` and `audio`";
    MinItems = "min-items", Error,
        "`languages` and `allowed_callers` have at least one item";
    MetadataSize = "metadata-size", Error,
        "`metadata` has at most 16 pairs";
    MetadataKeyLength = "metadata-key-length", Error,
        "`metadata` keys are at most 64 characters";
    MetadataValueLength = "metadata-value-length", Error,
        "`metadata` values are at most 512 characters";
    TunnelIdPattern = "tunnel-id-pattern", Error,
        "MCP `tunnel_id` matches ^tunnel_[a-z0-9]{32}$";
    McpServerTarget = "mcp-server-target", Error,
        "an MCP tool names its server: one of `server_url`, `connector_id`, `tunnel_id`";
    UriFormat = "uri-format", Error,
        "members of format `uri` are URIs (they start with a scheme such as `https:`)";
    ImageDataUri = "image-data-uri", Warning,
        "an `input_image` part's `image_url` is a PNG or JPEG data URI";
    WhisperTurnDetection = "whisper-turn-detection", Error,
        "a `gpt-realtime-whisper` transcription session sets `turn_detection` to null";
    TranscriptionModelSupport = "transcription-model-support", Warning,
        "transcription options are used only with models that support them";
    ArgumentsJson = "arguments-json", Warning,
        "`arguments` of function and MCP calls is a JSON-encoded string";
    UnknownMember = "unknown-member", Warning,
        "every member is one the spec names for that object";
    NullMember = "null-member", Warning,
        "members that are not nullable are left out rather than sent as `null`";
    RoundTrip = "round-trip", Error,
        "the model re-serializes the frame unchanged (a failure is a model bug)";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One finding: where, which rule, which spec schema, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// JSON pointer (RFC 6901) of the offending member in the frame.
    pub pointer: String,
    /// The rule broken.
    pub rule: Rule,
    /// The spec schema that states the rule, e.g. `RealtimeTurnDetection`.
    pub schema: &'static str,
    /// One line saying what is wrong.
    pub message: String,
}

impl Finding {
    /// The rule's severity.
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for Finding {
    /// `error[audio-base64] /audio: ... (RealtimeClientEventInputAudioBufferAppend)`;
    /// the frame itself is shown as pointer `/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}[{}] {}: {} ({})",
            self.severity(),
            self.rule,
            pointer,
            self.message,
            self.schema
        )
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Finding", 5)?;
        s.serialize_field("pointer", &self.pointer)?;
        s.serialize_field("rule", &self.rule)?;
        s.serialize_field("severity", &self.severity())?;
        s.serialize_field("schema", self.schema)?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

/// The findings for one frame, in the order the frame was walked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every finding.
    pub findings: Vec<Finding>,
}

impl Report {
    /// True when no finding is an error (warnings allowed).
    pub fn is_conformant(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// True when there is no finding at all.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_error())
    }

    /// True when some finding is of `rule`.
    pub fn has(&self, rule: Rule) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.findings.serialize(serializer)
    }
}
