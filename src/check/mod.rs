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

pub use report::{Direction, Finding, Report, Rule, Severity};
pub use server::LEGACY_SERVER_EVENT_TYPES;
pub use values::{check_base64, MAX_AUDIO_BYTES, MAX_EVENT_ID_CHARS};

use serde_json::Value;

use crate::fidelity::{self, ChangeKind};
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
    judge(event, None, false, event::event, event::event_schema)
}

/// Checks one event together with the JSON value it was parsed from: the
/// findings of [`validate`], plus a [`Rule::NullMember`] warning for each
/// explicit `null` the model normalized away and a [`Rule::RoundTrip`] error
/// for any other difference between `frame` and the model's re-serialization.
pub fn validate_frame(event: &ClientEvent, frame: &Value) -> Report {
    judge(event, Some(frame), false, event::event, event::event_schema)
}

/// Checks one parsed server event against every rule the types do not
/// enforce: the server rules ([`Direction::Server`]) and the shared ones.
pub fn validate_server(event: &ServerEvent) -> Report {
    judge(event, None, true, server::event, server::event_schema)
}

/// [`validate_frame`] for a server event.
pub fn validate_server_frame(event: &ServerEvent, frame: &Value) -> Report {
    judge(
        event,
        Some(frame),
        true,
        server::event,
        server::event_schema,
    )
}

/// Runs a family's `rules` on `event` (`server`: the server family), and
/// with the `frame` it was parsed from, compares the two (its fallback
/// schema is `schema`'s).
fn judge<E: serde::Serialize>(
    event: &E,
    frame: Option<&Value>,
    server: bool,
    rules: fn(&mut Checker, &E),
    schema: fn(&E) -> &'static str,
) -> Report {
    let mut checker = Checker::new(frame.is_some(), server);
    rules(&mut checker, event);
    match frame {
        None => Report {
            findings: checker.findings,
        },
        Some(frame) => checker.compare(frame, serde_json::to_value(event), schema(event)),
    }
}

impl Checker {
    /// Adds the findings of comparing the raw `frame` with the model's
    /// re-serialization, and returns the report.
    fn compare(
        mut self,
        frame: &Value,
        after: Result<Value, serde_json::Error>,
        fallback: &'static str,
    ) -> Report {
        let after = match after {
            Ok(after) => after,
            Err(err) => {
                self.findings.push(Finding {
                    pointer: String::new(),
                    rule: Rule::RoundTrip,
                    schema: fallback,
                    message: format!("the model could not re-serialize the frame: {err}"),
                });
                return Report {
                    findings: self.findings,
                };
            }
        };
        for change in fidelity::changes(frame, &after) {
            let (parent, member) = pointer::split_last(&change.pointer)
                .unwrap_or_else(|| ("", change.pointer.clone()));
            let schema = self.schema_at(parent).unwrap_or(fallback);
            let message = match &change.kind {
                ChangeKind::NullDropped => {
                    format!(
                        "`{member}` is null, but the spec does not make it nullable: leave it out"
                    )
                }
                ChangeKind::Dropped(_) => "the model dropped this member".to_owned(),
                ChangeKind::Added(_) => "the model added this member".to_owned(),
                ChangeKind::Changed { before, after } => {
                    format!(
                        "the model changed {} into {}",
                        brief_json(before),
                        brief_json(after)
                    )
                }
            };
            let rule = if change.is_normalization() {
                Rule::NullMember
            } else {
                Rule::RoundTrip
            };
            self.findings.push(Finding {
                pointer: change.pointer.clone(),
                rule,
                schema,
                message,
            });
        }
        Report {
            findings: self.findings,
        }
    }
}

/// A JSON value for a one-line message: short values whole, long ones cut.
fn brief_json(value: &Value) -> String {
    const MAX: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// The walk's state: where it is, what it found, and (for
/// [`validate_frame`]) which schema each visited object belongs to.
pub(crate) struct Checker {
    pointer: String,
    findings: Vec<Finding>,
    objects: Option<Vec<(String, &'static str)>>,
    /// The frame is a server event: shared types are judged as the server
    /// sends them (its session's `id` and `object`, say).
    server: bool,
}

impl Checker {
    fn new(record_objects: bool, server: bool) -> Self {
        Checker {
            pointer: String::new(),
            findings: Vec::new(),
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

    /// Reports a finding at the current position.
    fn report(&mut self, rule: Rule, schema: &'static str, message: impl Into<String>) {
        self.findings.push(Finding {
            pointer: self.pointer.clone(),
            rule,
            schema,
            message: message.into(),
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
        for (name, _) in extra.iter() {
            let message = if beta_members.contains(&name.as_str()) {
                format!("unknown member `{name}`: a beta-era member ({beta_schema})")
            } else {
                format!("unknown member `{name}`")
            };
            self.report_member(name, Rule::UnknownMember, schema, message);
        }
    }

    /// Enters a closed object (the parser already rejects unknown members).
    fn closed(&mut self, schema: &'static str) {
        if let Some(objects) = &mut self.objects {
            objects.push((self.pointer.clone(), schema));
        }
    }

    /// The schema of the object visited at `pointer`.
    fn schema_at(&self, pointer: &str) -> Option<&'static str> {
        self.objects
            .as_ref()?
            .iter()
            .rev()
            .find(|(p, _)| p == pointer)
            .map(|(_, s)| *s)
    }
}
