//! What the checker reports: rules, findings and the report of one frame.

use std::collections::BTreeMap;
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

/// Which direction's frames a rule judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Client events (`RealtimeClientEvent`).
    Client,
    /// Server events (`RealtimeServerEvent`).
    Server,
    /// Both: the rule is about a nested type both directions share.
    Both,
}

impl Direction {
    /// `"client"`, `"server"` or `"both"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Client => "client",
            Direction::Server => "server",
            Direction::Both => "both",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares a rule enum from one table, each row a variant, its stable id
/// (kebab-case), severity and one-line summary, and for [`Rule`] the
/// direction whose frames it judges. Both rule families use it: the
/// checker's [`Rule`] (one frame) and `protocol::ProtocolRule` (the
/// conversation). Ids print and serialize as themselves.
macro_rules! rule_table {
    (
        $(#[$enum_attr:meta])* $name:ident {
            $( $(#[$attr:meta])* $variant:ident = $id:literal, $severity:ident, $summary:literal; )*
        }
    ) => {
        $(#[$enum_attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$attr])* #[doc = concat!("`", $id, "`: ", $summary)] $variant, )*
        }

        impl $name {
            /// Every rule, in documentation order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The stable id, e.g. `"event-id-length"`.
            pub const fn id(self) -> &'static str {
                match self { $( $name::$variant => $id, )* }
            }

            /// The severity of every finding of this rule.
            pub const fn severity(self) -> $crate::check::Severity {
                match self { $( $name::$variant => $crate::check::Severity::$severity, )* }
            }

            /// What the rule requires, in one line.
            pub const fn summary(self) -> &'static str {
                match self { $( $name::$variant => $summary, )* }
            }

            /// The rule with the given id.
            pub fn from_id(id: &str) -> Option<$name> {
                match id { $( $id => Some($name::$variant), )* _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }
    };
    (
        $(#[$enum_attr:meta])* $name:ident by direction {
            $( $(#[$attr:meta])* $variant:ident = $id:literal, $severity:ident, $direction:ident, $summary:literal; )*
        }
    ) => {
        $crate::check::rule_table! {
            $(#[$enum_attr])* $name {
                $( $(#[$attr])* $variant = $id, $severity, $summary; )*
            }
        }

        impl $name {
            /// Which direction's frames the rule judges.
            pub const fn direction(self) -> Direction {
                match self { $( $name::$variant => Direction::$direction, )* }
            }
        }
    };
}
pub(crate) use rule_table;

rule_table! {
    /// A conformance rule. Ids are stable, kebab-case, and documented by
    /// [`Rule::summary`].
    Rule by direction {
        UnknownEventType = "unknown-event-type", Error, Client,
            "`type` is one of the eleven GA client events";
        BetaEventType = "beta-event-type", Warning, Client,
            "`transcription_session.update` is beta-era: valid per its own legacy schema, not a GA event";
        EventIdLength = "event-id-length", Error, Client,
            "`event_id` is at most 512 characters";
        AudioBase64 = "audio-base64", Error, Both,
            "audio is base64 with the standard alphabet and padding";
        AudioSize = "audio-size", Error, Both,
            "audio decodes to at most 15 MiB";
        ContentPartType = "content-part-type", Warning, Both,
            "a user or assistant content part says its `type`";
        ContentPartMember = "content-part-member", Error, Both,
            "a content part carries the member its type needs (`text`, `audio`, `image_url`, `transcript`)";
        ContentPartForeignMember = "content-part-foreign-member", Warning, Both,
            "a content part carries no member that belongs to another part type";
        AssistantAudio = "assistant-audio", Warning, Client,
            "`conversation.item.create` cannot populate assistant audio messages";
        ItemReferencePlacement = "item-reference-placement", Error, Both,
            "`item_reference` items appear only in `response.input`";
        ContentIndexZero = "content-index-zero", Warning, Client,
            "`conversation.item.truncate` `content_index` is 0, as the spec says to set it";
        NonNegative = "non-negative", Error, Both,
            "indexes, durations and token limits are not negative";
        SpeedRange = "speed-range", Error, Both,
            "`audio.output.speed` is between 0.25 and 1.5";
        VadThresholdRange = "vad-threshold-range", Error, Both,
            "server VAD `threshold` is between 0.0 and 1.0";
        IdleTimeoutRange = "idle-timeout-range", Error, Both,
            "server VAD `idle_timeout_ms` is between 5000 and 30000";
        RetentionRatioRange = "retention-ratio-range", Error, Both,
            "`truncation.retention_ratio` is between 0.0 and 1.0";
        MaxOutputTokensRange = "max-output-tokens-range", Error, Both,
            "`max_output_tokens` is an integer between 1 and 4096, or \"inf\"";
        PcmRate = "pcm-rate", Error, Both,
            "PCM audio (and a format without `type`, which defaults to PCM) has `rate` 24000";
        G711Rate = "g711-rate", Warning, Both,
            "the G.711 formats `audio/pcmu` and `audio/pcma` have no `rate`";
        OutputModalities = "output-modalities", Error, Both,
            "`output_modalities` does not request both `text` and `audio`";
        MinItems = "min-items", Error, Both,
            "`languages` and `allowed_callers` have at least one item";
        MetadataSize = "metadata-size", Error, Both,
            "`metadata` has at most 16 pairs";
        MetadataKeyLength = "metadata-key-length", Error, Both,
            "`metadata` keys are at most 64 characters";
        MetadataValueLength = "metadata-value-length", Error, Both,
            "`metadata` values are at most 512 characters";
        TunnelIdPattern = "tunnel-id-pattern", Error, Both,
            "MCP `tunnel_id` matches ^tunnel_[a-z0-9]{32}$";
        McpServerTarget = "mcp-server-target", Error, Both,
            "an MCP tool names its server: one of `server_url`, `connector_id`, `tunnel_id`";
        UriFormat = "uri-format", Error, Both,
            "members of format `uri` are URIs (they start with a scheme such as `https:`)";
        ImageDataUri = "image-data-uri", Warning, Both,
            "an `input_image` part's `image_url` is a PNG or JPEG data URI";
        WhisperTurnDetection = "whisper-turn-detection", Error, Both,
            "a `gpt-realtime-whisper` transcription session sets `turn_detection` to null";
        TranscriptionModelSupport = "transcription-model-support", Warning, Both,
            "transcription options are used only with models that support them";
        ArgumentsJson = "arguments-json", Warning, Both,
            "`arguments` of function and MCP calls is a JSON-encoded string";
        UnknownMember = "unknown-member", Warning, Both,
            "every member is one the spec names for that object";
        DuplicateMember = "duplicate-member", Error, Both,
            "free-form JSON (`parameters`, `input_schema`, `metadata`, `annotations`, unknown members) names no member twice in one object";
        NullMember = "null-member", Warning, Both,
            "members that are not nullable are left out rather than sent as `null`";
        RoundTrip = "round-trip", Error, Both,
            "the model re-serializes the frame unchanged (a failure is a model bug)";
        UnknownServerEventType = "unknown-server-event-type", Error, Server,
            "`type` is one of the 46 GA server events";
        LegacyEventType = "legacy-event-type", Error, Server,
            "server events use the GA names, not the beta-era names they replaced";
        IdNonEmpty = "id-non-empty", Error, Server,
            "ids the server assigns (`event_id`, `response_id`, `item_id`, `call_id`) are not empty";
        IdPrefix = "id-prefix", Warning, Server,
            "server event and response ids carry their prefixes, `event_` and `resp_`";
        ResponseStatus = "response-status", Error, Server,
            "`response.created` reports `in_progress`; `response.done` reports a final status";
        StatusDetails = "status-details", Error, Server,
            "`status_details` agrees with `status`: same `type`, a reason that fits, the error of a failed response";
        UsageTotals = "usage-totals", Error, Server,
            "`total_tokens` is `input_tokens` plus `output_tokens`, and token details add up to their totals";
        ServerSession = "server-session", Error, Server,
            "`session.created` and `session.updated` carry the session's `id` and `object`";
        ServerVoiceName = "server-voice-name", Warning, Server,
            "the server's session and response resource give `voice` as a name (`VoiceIdsShared`)";
        RateLimitRemaining = "rate-limit-remaining", Warning, Server,
            "a rate limit's `remaining` is at most its `limit`";
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

/// Writes `severity[rule] pointer: message`, the one layout of every
/// finding's line (checker, protocol, stateful); the frame itself is shown
/// as pointer `/`.
pub fn write_finding(
    f: &mut fmt::Formatter<'_>,
    severity: Severity,
    rule: &str,
    pointer: &str,
    message: &str,
) -> fmt::Result {
    let pointer = if pointer.is_empty() { "/" } else { pointer };
    write!(f, "{severity}[{rule}] {pointer}: {message}")
}

impl fmt::Display for Finding {
    /// `error[audio-base64] /audio: ... (RealtimeClientEventInputAudioBufferAppend)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_finding(
            f,
            self.severity(),
            self.rule.id(),
            &self.pointer,
            &self.message,
        )?;
        write!(f, " ({})", self.schema)
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

/// How many findings of each severity a [`Report`] keeps when the caller
/// names no other number: the first 1,000 errors and the first 1,000
/// warnings; the rest are counted by rule ([`Report::omitted`]).
pub const DEFAULT_FINDINGS_KEPT: usize = 1_000;

/// The findings for one frame, in the order the frame was walked.
///
/// A frame can hold one finding per member (a million unknown members give a
/// million warnings), so the checker keeps a bounded number of them: the
/// first `keep` errors and the first `keep` warnings, `keep` being
/// [`DEFAULT_FINDINGS_KEPT`] for [`super::validate`] and its siblings, and
/// the caller's number for [`super::verdict::judge_keeping`] (the CLI passes
/// its `--max-findings`). Every finding past them is still counted, by rule,
/// in [`Report::omitted`], so the counts ([`Report::total`],
/// [`Report::error_count`]) and the judgements ([`Report::is_conformant`],
/// [`Report::has`]) are exact; only [`Report::findings`] and the iterators
/// over it ([`Report::errors`], [`Report::warnings`]) see the kept ones.
/// The first `keep` findings in walk order are always all kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The findings kept, in walk order.
    pub findings: Vec<Finding>,
    /// How many findings of each rule were found past the kept ones.
    pub omitted: BTreeMap<Rule, usize>,
}

impl Report {
    /// True when no finding is an error (warnings allowed), kept or not.
    pub fn is_conformant(&self) -> bool {
        self.error_count() == 0
    }

    /// True when there is no finding at all.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.omitted.is_empty()
    }

    /// Every finding, kept or omitted.
    pub fn total(&self) -> usize {
        self.findings.len() + self.omitted_count()
    }

    /// The findings found past the kept ones.
    pub fn omitted_count(&self) -> usize {
        self.omitted.values().sum()
    }

    /// Every error, kept or omitted.
    pub fn error_count(&self) -> usize {
        self.count_of(Severity::Error)
    }

    /// Every warning, kept or omitted.
    pub fn warning_count(&self) -> usize {
        self.count_of(Severity::Warning)
    }

    fn count_of(&self, severity: Severity) -> usize {
        let kept = self
            .findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count();
        let omitted: usize = self
            .omitted
            .iter()
            .filter(|(rule, _)| rule.severity() == severity)
            .map(|(_, n)| n)
            .sum();
        kept + omitted
    }

    /// The errors kept.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// The warnings kept.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_error())
    }

    /// True when some finding, kept or omitted, is of `rule`.
    pub fn has(&self, rule: Rule) -> bool {
        self.omitted.contains_key(&rule) || self.findings.iter().any(|f| f.rule == rule)
    }
}

/// `{"findings": [...]}`, with `"omitted": {"rule-id": count, ...}` when
/// findings were found past the kept ones.
impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if self.omitted.is_empty() { 1 } else { 2 };
        let mut s = serializer.serialize_struct("Report", fields)?;
        s.serialize_field("findings", &self.findings)?;
        if !self.omitted.is_empty() {
            let omitted: BTreeMap<&str, usize> = self
                .omitted
                .iter()
                .map(|(rule, n)| (rule.id(), *n))
                .collect();
            s.serialize_field("omitted", &omitted)?;
        }
        s.end()
    }
}

/// Collects findings into a [`Report`], keeping the first `keep` of each
/// severity and counting the rest by rule.
#[derive(Debug)]
pub(crate) struct Collector {
    report: Report,
    keep: usize,
    /// Errors and warnings kept so far.
    kept: [usize; 2],
}

impl Collector {
    pub(crate) fn new(keep: usize) -> Self {
        Collector {
            report: Report::default(),
            keep,
            kept: [0; 2],
        }
    }

    fn slot(rule: Rule) -> usize {
        match rule.severity() {
            Severity::Error => 0,
            Severity::Warning => 1,
        }
    }

    /// Whether a finding of `rule` would be kept; when not, it is counted
    /// now, and the caller builds nothing.
    pub(crate) fn keeps(&mut self, rule: Rule) -> bool {
        if self.kept[Self::slot(rule)] < self.keep {
            return true;
        }
        *self.report.omitted.entry(rule).or_insert(0) += 1;
        false
    }

    /// Keeps `finding`, or counts it.
    pub(crate) fn push(&mut self, finding: Finding) {
        if self.keeps(finding.rule) {
            self.push_kept(finding);
        }
    }

    /// Keeps a finding [`Collector::keeps`] said yes to.
    pub(crate) fn push_kept(&mut self, finding: Finding) {
        self.kept[Self::slot(finding.rule)] += 1;
        self.report.findings.push(finding);
    }

    pub(crate) fn finish(self) -> Report {
        self.report
    }
}
