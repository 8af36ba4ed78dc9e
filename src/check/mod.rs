//! The conformance checker: every rule of the GA spec that the model's types
//! do not enforce.
//!
//! Parsing is not conformance. The model accepts a 513-character `event_id`,
//! audio that is not base64, a user `input_image` part without `image_url`,
//! a VAD threshold of 7; [`validate`] finds them, each as a [`Finding`] with
//! the JSON pointer of the member, a stable rule id ([`Rule`]), the spec
//! schema that states the rule, a severity and a one-line message.
//!
//! [`validate_frame`] also takes the JSON the event was parsed from, and
//! reports what only the raw frame shows: explicit `null`s on members the
//! spec does not make nullable (the model reads them as absent:
//! [`Rule::NullMember`], a warning), and any other change a round trip
//! through the model would make ([`Rule::RoundTrip`], a model bug).
//!
//! ```
//! use realtime_harness::check::{validate, Rule};
//! use realtime_harness::ClientEvent;
//!
//! let event: ClientEvent = r#"{"type": "input_audio_buffer.append", "audio": "not base64!"}"#
//!     .parse()
//!     .unwrap();
//! let report = validate(&event);
//! assert!(!report.is_conformant());
//! assert_eq!(report.findings[0].rule, Rule::AudioBase64);
//! assert_eq!(report.findings[0].pointer, "/audio");
//! ```

mod event;
mod hint;
mod item;
mod report;
mod response;
mod server;
mod session;
mod tools;
mod usage;
mod values;
pub mod verdict;

pub use report::{
    write_finding, Direction, Finding, Report, Rule, Severity, DEFAULT_FINDINGS_KEPT,
};

pub(crate) use report::rule_table;
use report::Collector;
pub use server::LEGACY_SERVER_EVENT_TYPES;
pub use values::{check_base64, MAX_AUDIO_BYTES, MAX_EVENT_ID_CHARS};

use serde_json::Value;

use crate::events::Family;
use crate::fidelity::{self, Change, ChangeKind};
use crate::pointer;
use crate::{ClientEvent, ExtraMembers, ServerEvent};

/// Checks one parsed event against every rule the types do not enforce.
///
/// An empty [`Report`] means the event conforms with nothing to remark; a report
/// [`is_conformant`](Report::is_conformant) when it holds warnings only.
///
/// ```
/// use realtime_harness::check::{validate, Rule, Severity};
/// use realtime_harness::ClientEvent;
///
/// let event: ClientEvent =
///     r#"{"type":"conversation.item.truncate","item_id":"item_1","content_index":0,"audio_end_ms":-5}"#
///         .parse()?;
/// let report = validate(&event);
/// let finding = &report.findings[0];
/// assert_eq!(finding.rule, Rule::NonNegative);
/// assert_eq!(finding.severity(), Severity::Error);
/// assert_eq!(finding.pointer, "/audio_end_ms");
/// assert_eq!(finding.schema, "RealtimeClientEventConversationItemTruncate");
///
/// let ok = ClientEvent::input_audio_buffer_append(None, "AAAA");
/// assert!(validate(&ok).is_empty());
/// # Ok::<(), realtime_harness::ParseError>(())
/// ```
pub fn validate(event: &ClientEvent) -> Report {
    CLIENT.event(event, DEFAULT_FINDINGS_KEPT)
}

/// Checks one parsed server event against every rule the types do not
/// enforce: the server rules ([`Direction::Server`]) and the shared ones.
pub fn validate_server(event: &ServerEvent) -> Report {
    SERVER.event(event, DEFAULT_FINDINGS_KEPT)
}

/// Checks one event together with the JSON value it was parsed from: the
/// findings of [`validate`], plus a [`Rule::NullMember`] warning for each
/// explicit `null` the model normalized away and a [`Rule::RoundTrip`] error
/// for any other difference between `frame` and the model's re-serialization.
pub fn validate_frame(event: &ClientEvent, frame: &Value) -> Report {
    CLIENT.frame(event, &frame.to_string(), DEFAULT_FINDINGS_KEPT)
}

/// [`validate_frame`] for a server event.
pub fn validate_server_frame(event: &ServerEvent, frame: &Value) -> Report {
    SERVER.frame(event, &frame.to_string(), DEFAULT_FINDINGS_KEPT)
}

/// [`validate_frame`] on the frame's text: the comparison sees what a
/// `Value` would hide (a repeated member name, a number's spelling) and
/// builds no tree of either side.
pub fn validate_frame_text(event: &ClientEvent, frame: &str) -> Report {
    CLIENT.frame(event, frame, DEFAULT_FINDINGS_KEPT)
}

/// [`validate_frame_text`] for a server event.
pub fn validate_server_frame_text(event: &ServerEvent, frame: &str) -> Report {
    SERVER.frame(event, frame, DEFAULT_FINDINGS_KEPT)
}

/// [`validate_frame_text`] keeping the first `keep` findings of each
/// severity (see [`Report`]).
pub fn validate_frame_text_keeping(event: &ClientEvent, frame: &str, keep: usize) -> Report {
    CLIENT.frame(event, frame, keep)
}

/// [`validate_server_frame_text`] keeping the first `keep` findings of each
/// severity (see [`Report`]).
pub fn validate_server_frame_text_keeping(event: &ServerEvent, frame: &str, keep: usize) -> Report {
    SERVER.frame(event, frame, keep)
}

/// [`validate_frame`] or [`validate_server_frame`] for a frame the fast
/// scanner reads whole ([`crate::fast`]: an `input_audio_buffer.append` or a
/// `response.output_audio.delta` of the common shape), judged in `family`
/// (`None`: either), without a serde parse. The scan proves the shape:
/// every member is one the model types, so the round trip changes nothing
/// but an explicit `null` `event_id`, reported as [`validate_frame`] would.
/// `None` for any other frame. `keep` bounds the findings kept, as in [`Report`].
pub(crate) fn validate_scanned(
    bytes: &[u8],
    family: Option<Family>,
    keep: usize,
) -> Option<(Family, Report)> {
    if family != Some(Family::Server) {
        if let Some((event, event_id_null)) = crate::events::owned_append(bytes) {
            let mut checker = CLIENT.walk(&event, false, keep);
            if event_id_null {
                let change = Change {
                    pointer: "/event_id".to_owned(),
                    kind: ChangeKind::NullDropped,
                };
                checker.change(change, (CLIENT.schema)(&event));
            }
            return Some((Family::Client, checker.finish()));
        }
    }
    if family != Some(Family::Client) {
        if let Some(event) = crate::events::server_ref::owned_delta(bytes) {
            return Some((Family::Server, SERVER.event(&event, keep)));
        }
    }
    None
}

/// The rules of one event family: the walk over an event, whether shared
/// types are judged as the server sends them, and the schema of the event
/// (where a finding with no closer object falls).
struct Rules<E> {
    server: bool,
    walk: fn(&mut Checker, &E),
    schema: fn(&E) -> &'static str,
}

/// The client events' rules (`RealtimeClientEvent`).
const CLIENT: Rules<ClientEvent> = Rules {
    server: false,
    walk: event::event,
    schema: event::event_schema,
};

/// The server events' rules (`RealtimeServerEvent`).
const SERVER: Rules<ServerEvent> = Rules {
    server: true,
    walk: server::event,
    schema: server::event_schema,
};

impl<E: serde::Serialize> Rules<E> {
    /// A checker that has walked `event`, keeping the first `keep` findings
    /// of each severity and, when `record`, the schema of every object.
    fn walk(&self, event: &E, record: bool, keep: usize) -> Checker {
        let mut checker = Checker::new(record, self.server, keep);
        (self.walk)(&mut checker, event);
        checker
    }

    /// The findings of the walk over `event`.
    fn event(&self, event: &E, keep: usize) -> Report {
        self.walk(event, false, keep).finish()
    }

    /// The findings of the walk plus those of comparing the raw `frame` with
    /// the model's re-serialization of `event`. A frame the serializer writes
    /// back byte for byte is recognized as it is written, keeping no copy; the
    /// walk runs a second time, recording the schema of every object, only when
    /// the texts differ, so a faithful frame costs no record of its objects.
    fn frame(&self, event: &E, frame: &str, keep: usize) -> Report {
        let fallback = (self.schema)(event);
        let mut checker = self.walk(event, false, keep);
        if fidelity::writes_exactly(event, frame.as_bytes()) {
            return checker.finish();
        }
        // Serializing model types does not fail, and serde_json writes UTF-8;
        // should either break, the frame is reported rather than a panic.
        let bytes = serde_json::to_vec(event).map_err(|e| e.to_string());
        let after = match bytes.as_deref().map(std::str::from_utf8) {
            Ok(Ok(after)) => after,
            Ok(Err(err)) => return checker.unserializable(err.to_string(), fallback),
            Err(err) => return checker.unserializable(err.clone(), fallback),
        };
        let changes = fidelity::text_changes(frame, after);
        if changes.is_empty() {
            return checker.finish();
        }
        let schemas: std::collections::HashMap<String, &'static str> = self
            .walk(event, true, keep)
            .objects
            .unwrap_or_default()
            .into_iter()
            .collect();
        for change in changes {
            let parent = pointer::split_last(&change.pointer).map_or("", |(parent, _)| parent);
            let schema = schemas.get(parent).copied().unwrap_or(fallback);
            checker.change(change, schema);
        }
        checker.finish()
    }
}

impl Checker {
    /// Reports one change a round trip makes, in the object of `schema`: a
    /// [`Rule::NullMember`] warning for a dropped `null`, a
    /// [`Rule::RoundTrip`] error otherwise.
    fn change(&mut self, change: Change, schema: &'static str) {
        let rule = if change.is_normalization() {
            Rule::NullMember
        } else {
            Rule::RoundTrip
        };
        if !self.findings.keeps(rule) {
            return;
        }
        let member = pointer::split_last(&change.pointer)
            .map_or_else(|| change.pointer.clone(), |(_, member)| member);
        let message = match &change.kind {
            ChangeKind::NullDropped => {
                format!("`{member}` is null, but the spec does not make it nullable: leave it out")
            }
            ChangeKind::Dropped(_) => "the model dropped this member".to_owned(),
            ChangeKind::Added(_) => "the model added this member".to_owned(),
            ChangeKind::Changed { before, after } => {
                format!(
                    "the model changed {} into {}",
                    brief_json(before.get()),
                    brief_json(after.get())
                )
            }
        };
        self.findings.push_kept(Finding {
            pointer: change.pointer,
            rule,
            schema,
            message,
        });
    }
}

/// A JSON value's text for a one-line message: short values whole, long ones cut.
fn brief_json(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.trim();
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// The walk's state: where it is, what it found, and (for
/// [`validate_frame`]) which schema each visited object belongs to.
pub(crate) struct Checker {
    pointer: String,
    findings: Collector,
    objects: Option<Vec<(String, &'static str)>>,
    /// The frame is a server event: shared types are judged as the server
    /// sends them (its session's `id` and `object`, say).
    server: bool,
}

impl Checker {
    /// The report when the model could not re-serialize the frame.
    fn unserializable(mut self, err: String, fallback: &'static str) -> Report {
        self.findings.push(Finding {
            pointer: String::new(),
            rule: Rule::RoundTrip,
            schema: fallback,
            message: format!("the model could not re-serialize the frame: {err}"),
        });
        self.finish()
    }

    fn new(record_objects: bool, server: bool, keep: usize) -> Self {
        Checker {
            pointer: String::new(),
            findings: Collector::new(keep),
            objects: record_objects.then(Vec::new),
            server,
        }
    }

    /// Runs `f` one member deeper.
    fn member<R>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.pointer.len();
        pointer::push_token(&mut self.pointer, name);
        let out = f(self);
        self.pointer.truncate(len);
        out
    }

    /// Runs `f` on each item of an array member.
    fn items<T>(&mut self, name: &str, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.member(name, |c| {
            for (i, item) in items.iter().enumerate() {
                let len = c.pointer.len();
                pointer::push_token(&mut c.pointer, &i.to_string());
                f(c, item);
                c.pointer.truncate(len);
            }
        });
    }

    /// The report of the walk.
    fn finish(self) -> Report {
        self.findings.finish()
    }

    /// Reports a finding at the current position; past the findings a
    /// report keeps, only counts it.
    fn report(&mut self, rule: Rule, schema: &'static str, message: impl Into<String>) {
        if self.findings.keeps(rule) {
            self.record(rule, schema, message.into());
        }
    }

    /// Keeps a finding at the current position that [`Collector::keeps`]
    /// said yes to.
    fn record(&mut self, rule: Rule, schema: &'static str, message: String) {
        self.findings.push_kept(Finding {
            pointer: self.pointer.clone(),
            rule,
            schema,
            message,
        });
    }

    /// Reports a finding at member `name` of the current object.
    fn report_member(
        &mut self,
        name: &str,
        rule: Rule,
        schema: &'static str,
        message: impl Into<String>,
    ) {
        self.member(name, |c| c.report(rule, schema, message));
    }

    /// Enters an open object of `schema`: records the schema and reports
    /// each unknown member.
    fn object(&mut self, schema: &'static str, extra: &ExtraMembers) {
        self.object_with_beta(schema, extra, &[], "");
    }

    /// Like [`Checker::object`], naming the beta-era schema of unknown
    /// members that are beta-era member names.
    fn object_with_beta(
        &mut self,
        schema: &'static str,
        extra: &ExtraMembers,
        beta_members: &[&str],
        beta_schema: &str,
    ) {
        self.closed(schema);
        for (name, value) in extra.iter() {
            self.member(&name, |c| c.free_form(value.get(), schema));
            // Counted without building a message when it is not kept: a
            // frame may hold millions of unknown members.
            if !self.findings.keeps(Rule::UnknownMember) {
                continue;
            }
            let message = if beta_members.contains(&&*name) {
                format!("unknown member `{name}`: a beta-era member ({beta_schema})")
            } else {
                format!("unknown member `{name}`")
            };
            self.member(&name, |c| c.record(Rule::UnknownMember, schema, message));
        }
    }

    /// Reports each member name repeated inside the free-form JSON `text` at
    /// the current position (a `Value` would keep only the last of them).
    fn free_form(&mut self, text: &str, schema: &'static str) {
        for inner in crate::wire::raw::duplicate_members(text) {
            let len = self.pointer.len();
            self.pointer.push_str(&inner);
            self.report(
                Rule::DuplicateMember,
                schema,
                "this member name appears twice in one object: JSON readers keep one of the two values",
            );
            self.pointer.truncate(len);
        }
    }

    /// [`Checker::free_form`] on member `name` of the current object.
    fn free_form_member(
        &mut self,
        name: &str,
        raw: Option<&crate::RawObject>,
        schema: &'static str,
    ) {
        if let Some(raw) = raw {
            self.member(name, |c| c.free_form(raw.get(), schema));
        }
    }

    /// Enters a closed object (the parser already rejects unknown members).
    fn closed(&mut self, schema: &'static str) {
        if let Some(objects) = &mut self.objects {
            objects.push((self.pointer.clone(), schema));
        }
    }
}
