//! Scripted faults: ways `serve` misbehaves on purpose, each one a bug real
//! clients have met in the field, so that a client's handling of it can be
//! tested. Chosen for the whole server (`--fault NAME`, repeatable) or per
//! connection (`?fault=NAME` in the URL, repeatable or comma-separated).

use std::fmt;
use std::str::FromStr;

/// Declares a kind of misbehaviour and its set from one table: variant,
/// name, description. Faults and flaws are both made by it.
macro_rules! misbehaviours {
    (
        $(#[$enum_doc:meta])* enum $Enum:ident;
        $(#[$set_doc:meta])* set $Set:ident;
        noun $noun:literal;
        $( $variant:ident = $name:literal, $about:literal; )*
    ) => {
        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $Enum {
            $( #[doc = concat!("`", $name, "`: ", $about)] $variant, )*
        }

        impl $Enum {
            /// Every one, in documentation order.
            pub const ALL: &'static [$Enum] = &[ $( $Enum::$variant, )* ];

            /// The name used on the command line and in URLs.
            pub const fn name(self) -> &'static str {
                match self { $( $Enum::$variant => $name, )* }
            }

            /// What it does, and which bug it exposes.
            pub const fn about(self) -> &'static str {
                match self { $( $Enum::$variant => $about, )* }
            }
        }

        impl FromStr for $Enum {
            type Err = UnknownFault;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $name => Ok($Enum::$variant), )*
                    _ => Err(UnknownFault {
                        given: s.to_owned(),
                        noun: $noun,
                        known: &[ $( $name, )* ],
                    }),
                }
            }
        }

        impl fmt::Display for $Enum {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        $(#[$set_doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $Set(u32);

        impl $Set {
            /// The empty set.
            pub const NONE: $Set = $Set(0);

            /// Whether `one` is in the set.
            pub fn has(self, one: $Enum) -> bool {
                self.0 & (1 << one as u32) != 0
            }

            /// Adds `one`.
            pub fn insert(&mut self, one: $Enum) {
                self.0 |= 1 << one as u32;
            }

            /// The union of two sets.
            pub fn union(self, other: $Set) -> $Set {
                $Set(self.0 | other.0)
            }

            /// The members of the set.
            pub fn iter(self) -> impl Iterator<Item = $Enum> {
                $Enum::ALL.iter().copied().filter(move |f| self.has(*f))
            }
        }

        impl FromIterator<$Enum> for $Set {
            fn from_iter<I: IntoIterator<Item = $Enum>>(iter: I) -> Self {
                let mut set = $Set::NONE;
                for one in iter {
                    set.insert(one);
                }
                set
            }
        }
    };
}

misbehaviours! {
    /// A scripted fault.
    enum Fault;
    /// A set of faults.
    set Faults;
    noun "fault";
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

misbehaviours! {
    /// A spec violation `serve` commits on purpose so that the probe's
    /// tests can show each case catches the server bug it is about (the
    /// mutants of `tests/probe.rs`). Unlike a [`Fault`], which real servers
    /// do and clients must survive, a flaw is simply wrong; it is not
    /// offered on the command line.
    enum Flaw;
    /// A set of flaws.
    set Flaws;
    noun "flaw";
    NoErrorEventId = "no-error-event-id",
        "`error` events never name the client event that caused them (`error.event_id` left out)";
    NoDoneAfterError = "no-done-after-error",
        "an `error` sent while a response streams ends that response silently: its remaining events and its `response.done` are dropped";
    TruncateConfirmsAnything = "truncate-confirms-anything",
        "`conversation.item.truncate` is answered with `conversation.item.truncated` whatever it names, unknown items and out-of-range `audio_end_ms` included";
    DoneBeforeItemDone = "done-before-item-done",
        "`response.done` is sent before the done events of the response's last item";
    AudioNotBase64 = "audio-not-base64",
        "the `delta` of `response.output_audio.delta` is not base64";
    StaleSessionUpdated = "stale-session-updated",
        "`session.updated` carries the session as it was at `session.created`, not the update";
    UnannouncedItems = "unannounced-items",
        "`response.output_item.added` and `response.content_part.added` are never sent, so deltas name items and parts nobody announced";
}

/// A fault or flaw name that is not one of the table's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFault {
    /// The name given.
    pub given: String,
    noun: &'static str,
    known: &'static [&'static str],
}

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}`; one of: {}",
            self.noun,
            self.given,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownFault {}

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
        for &flaw in Flaw::ALL {
            assert_eq!(flaw.name().parse::<Flaw>(), Ok(flaw));
            let set: Flaws = [flaw].into_iter().collect();
            assert_eq!(set.iter().collect::<Vec<_>>(), [flaw]);
        }
        assert!(Fault::ALL.len() >= 8);
        let err = "nope".parse::<Fault>().unwrap_err().to_string();
        assert!(err.contains("slow-start"), "{err}");
        let err = "nope".parse::<Flaw>().unwrap_err().to_string();
        assert!(
            err.starts_with("unknown flaw") && err.contains("audio-not-base64"),
            "{err}"
        );
    }
}

/// Rewrites the events a machine emits, for the faults and flaws that
/// change what goes out rather than how the protocol behaves.
#[derive(Debug, Default)]
pub struct Shaper {
    faults: Faults,
    flaws: Flaws,
    held_rate_limits: Vec<crate::ServerEvent>,
    unknown_sent: usize,
    /// The session of `session.created` (`stale-session-updated`).
    first_session: Option<Box<crate::model::session::SessionConfig>>,
    /// Between `response.created` and `response.done`.
    streaming: bool,
    /// Dropping the rest of a response (`no-done-after-error`).
    muted: bool,
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
    /// A shaper for these faults and flaws.
    pub fn new(faults: Faults, flaws: Flaws) -> Self {
        Shaper {
            faults,
            flaws,
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
        if self.faults == Faults::NONE && self.flaws == Flaws::NONE {
            return;
        }
        if self.flaws.has(Flaw::DoneBeforeItemDone) {
            done_first(events);
        }
        let mut shaped = Vec::with_capacity(events.len() + 1);
        for event in events.drain(..) {
            let kind = event.to_event_type();
            let Some(event) = self.flaw(event) else {
                continue;
            };
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

    /// The event as the flaws have it, or `None` when they drop it.
    fn flaw(&mut self, event: crate::ServerEvent) -> Option<crate::ServerEvent> {
        use crate::ServerEvent as E;
        let flaws = self.flaws;
        if flaws.has(Flaw::NoDoneAfterError) {
            match &event {
                E::ResponseDone { .. } if self.muted => {
                    (self.muted, self.streaming) = (false, false);
                    return None;
                }
                _ if self.muted => return None,
                E::ResponseCreated { .. } => self.streaming = true,
                E::ResponseDone { .. } => self.streaming = false,
                E::Error { .. } if self.streaming => self.muted = true,
                _ => {}
            }
        }
        let mut event = event;
        match &mut event {
            E::ResponseOutputItemAdded { .. } | E::ResponseContentPartAdded { .. }
                if flaws.has(Flaw::UnannouncedItems) =>
            {
                return None
            }
            E::SessionCreated { session, .. } if flaws.has(Flaw::StaleSessionUpdated) => {
                self.first_session = Some(session.clone());
            }
            E::SessionUpdated { session, .. } if flaws.has(Flaw::StaleSessionUpdated) => {
                if let Some(first) = &self.first_session {
                    *session = first.clone();
                }
            }
            E::Error { error, .. } if flaws.has(Flaw::NoErrorEventId) => error.event_id = None,
            E::ResponseOutputAudioDelta { delta, .. } if flaws.has(Flaw::AudioNotBase64) => {
                *delta = crate::model::audio_data::Base64Audio::new("not base64: ~~~~");
            }
            _ => {}
        }
        Some(event)
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

/// Moves `response.done` ahead of the done events of the same batch
/// (`done-before-item-done`).
fn done_first(events: &mut Vec<crate::ServerEvent>) {
    let Some(done) = events.iter().position(|e| e.wire_type() == "response.done") else {
        return;
    };
    let item_done = |e: &crate::ServerEvent| {
        let kind = e.wire_type();
        kind != "response.done" && kind.ends_with(".done")
    };
    if let Some(first) = events[..done].iter().position(item_done) {
        let event = events.remove(done);
        events.insert(first, event);
    }
}
