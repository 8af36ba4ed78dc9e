//! Scripted faults: ways `serve` misbehaves on purpose, each one a bug real
//! clients have met in the field, so that a client's handling of it can be
//! tested. Chosen for the whole server (`--fault NAME`, repeatable) or per
//! connection (`?fault=NAME` in the URL, repeatable or comma-separated).

use std::fmt;
use std::str::FromStr;

/// Declares [`Fault`] from one table: variant, name, description.
macro_rules! faults {
    ( $( $variant:ident = $name:literal, $about:literal; )* ) => {
        /// A scripted fault.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fault {
            $( #[doc = concat!("`", $name, "`: ", $about)] $variant, )*
        }

        impl Fault {
            /// Every fault, in documentation order.
            pub const ALL: &'static [Fault] = &[ $( Fault::$variant, )* ];

            /// The name used by `--fault` and `?fault=`.
            pub const fn name(self) -> &'static str {
                match self { $( Fault::$variant => $name, )* }
            }

            /// What the fault does, and which client bug it exposes.
            pub const fn about(self) -> &'static str {
                match self { $( Fault::$variant => $about, )* }
            }
        }

        impl FromStr for Fault {
            type Err = UnknownFault;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $( $name => Ok(Fault::$variant), )* _ => Err(UnknownFault(s.to_owned())) }
            }
        }
    };
}

faults! {
    ErrorWithoutResponseDone = "error-without-response-done",
        "every response fails after `response.created` with a `server_error` `error` and no `response.done` (clients that wait for `response.done` hang)";
    UnknownEventTypes = "unknown-event-types",
        "event types the client has never seen (`session.heartbeat`, `response.output_audio.annotation`, ...) arrive after `session.created` and inside every response (clients that fail on an unknown `type` break)";
    LargeAudioDeltas = "large-audio-deltas",
        "every `response.output_audio.delta` carries at least 64 KiB of audio, so frames exceed 64 KiB (clients and proxies with a 64 KiB frame limit drop the connection)";
    LegacyEventNames = "legacy-event-names",
        "beta-era names instead of GA ones: `response.audio.delta`, `response.audio_transcript.delta`, `response.text.delta`, `conversation.item.created`, ... (clients that only know one set go silent)";
    SessionExpiry = "session-expiry",
        "5 s after `session.created` (divided by --speed) the session expires: an `error` with code `session_expired`, then close code 1001 (clients that do not reconnect)";
    AbruptClose = "abrupt-close",
        "the TCP connection is dropped without a close frame right after the first response delta (clients that treat only close frames as the end)";
    SlowStart = "slow-start",
        "`session.created` comes 3 s late (divided by --speed); frames sent before it are held, then handled and reported (clients with short timeouts, or that send before the session exists)";
    RateLimitsAfterDone = "rate-limits-after-done",
        "`rate_limits.updated` comes after `response.done` instead of at the start of the response (clients that treat `response.done` as the last event of a turn)";
}

/// A fault name that is not one of [`Fault::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFault(pub String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown fault `{}`; one of: ", self.0)?;
        let names: Vec<_> = Fault::ALL.iter().map(|f| f.name()).collect();
        f.write_str(&names.join(", "))
    }
}

impl std::error::Error for UnknownFault {}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of faults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults(u16);

impl Faults {
    /// No fault.
    pub const NONE: Faults = Faults(0);

    /// Whether `fault` is in the set.
    pub fn has(self, fault: Fault) -> bool {
        self.0 & (1 << fault as u16) != 0
    }

    /// Adds `fault`.
    pub fn insert(&mut self, fault: Fault) {
        self.0 |= 1 << fault as u16;
    }

    /// The union of two sets.
    pub fn union(self, other: Faults) -> Faults {
        Faults(self.0 | other.0)
    }

    /// The faults in the set.
    pub fn iter(self) -> impl Iterator<Item = Fault> {
        Fault::ALL.iter().copied().filter(move |f| self.has(*f))
    }
}

impl FromIterator<Fault> for Faults {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Self {
        let mut set = Faults::NONE;
        for fault in iter {
            set.insert(fault);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sets_hold_each_fault() {
        for &fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>(), Ok(fault));
            let set: Faults = [fault].into_iter().collect();
            assert_eq!(set.iter().collect::<Vec<_>>(), [fault]);
        }
        assert!(Fault::ALL.len() >= 8);
        let err = "nope".parse::<Fault>().unwrap_err().to_string();
        assert!(err.contains("slow-start"), "{err}");
    }
}

/// Rewrites the events a machine emits, for the faults that change what
/// goes out rather than how the protocol behaves.
#[derive(Debug, Default)]
pub struct Shaper {
    faults: Faults,
    held_rate_limits: Vec<crate::ServerEvent>,
    unknown_sent: usize,
}

/// The event types `unknown-event-types` injects: plausible future names.
const UNKNOWN_TYPES: &[&str] = &[
    "session.heartbeat",
    "response.output_audio.annotation",
    "conversation.item.annotation",
    "response.progress",
];

/// The beta-era names of GA server events (`legacy-event-names`).
pub const LEGACY_NAMES: &[(&str, &str)] = &[
    ("response.output_audio.delta", "response.audio.delta"),
    ("response.output_audio.done", "response.audio.done"),
    (
        "response.output_audio_transcript.delta",
        "response.audio_transcript.delta",
    ),
    (
        "response.output_audio_transcript.done",
        "response.audio_transcript.done",
    ),
    ("response.output_text.delta", "response.text.delta"),
    ("response.output_text.done", "response.text.done"),
    ("conversation.item.added", "conversation.item.created"),
];

impl Shaper {
    /// A shaper for these faults.
    pub fn new(faults: Faults) -> Self {
        Shaper {
            faults,
            ..Default::default()
        }
    }

    /// Rewrites `events` in place; `event_id` makes ids for injected events.
    pub fn shape(
        &mut self,
        events: &mut Vec<crate::ServerEvent>,
        mut event_id: impl FnMut() -> String,
    ) {
        use crate::{RealtimeServerEvent as T, ServerEvent};
        if self.faults == Faults::NONE {
            return;
        }
        let mut shaped = Vec::with_capacity(events.len() + 1);
        for event in events.drain(..) {
            let kind = event.to_event_type();
            if self.faults.has(Fault::RateLimitsAfterDone) && kind == Some(T::RateLimitsUpdated) {
                self.held_rate_limits.push(event);
                continue;
            }
            let inject = self.faults.has(Fault::UnknownEventTypes)
                && matches!(kind, Some(T::SessionCreated | T::ResponseCreated));
            shaped.push(self.rename(event));
            if kind == Some(T::ResponseDone) {
                shaped.append(&mut self.held_rate_limits);
            }
            if inject {
                let name = UNKNOWN_TYPES[self.unknown_sent % UNKNOWN_TYPES.len()];
                self.unknown_sent += 1;
                let mut members = serde_json::Map::new();
                members.insert("event_id".into(), event_id().into());
                members.insert(
                    "note".into(),
                    "an event type this client has never seen (fault unknown-event-types)".into(),
                );
                shaped.push(ServerEvent::Unknown {
                    event_type: name.to_owned(),
                    members,
                });
            }
        }
        *events = shaped;
    }

    fn rename(&self, event: crate::ServerEvent) -> crate::ServerEvent {
        if !self.faults.has(Fault::LegacyEventNames) {
            return event;
        }
        let Some(&(_, legacy)) = LEGACY_NAMES.iter().find(|(ga, _)| *ga == event.wire_type())
        else {
            return event;
        };
        let Ok(serde_json::Value::Object(mut members)) = serde_json::to_value(&event) else {
            return event;
        };
        members.insert("type".into(), legacy.into());
        // `conversation.item.created` is one of the model's events; the
        // other legacy names parse as `Unknown`.
        serde_json::from_value(serde_json::Value::Object(members)).unwrap_or(event)
    }
}
