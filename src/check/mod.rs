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
mod item;
mod report;
mod response;
mod session;
mod tools;
mod values;

pub use report::{Finding, Report, Rule, Severity};
pub use values::{check_base64, MAX_AUDIO_BYTES, MAX_EVENT_ID_CHARS};

use serde_json::Value;

use crate::fidelity::{self, ChangeKind};
use crate::pointer;
use crate::{ClientEvent, ExtraMembers};

/// Checks one parsed event against every rule the types do not enforce.
pub fn validate(event: &ClientEvent) -> Report {
    let mut checker = Checker::new(false);
    event::event(&mut checker, event);
    Report {
        findings: checker.findings,
    }
}

/// Checks one event together with the JSON value it was parsed from: the
/// findings of [`validate`], plus a [`Rule::NullMember`] warning for each
/// explicit `null` the model normalized away and a [`Rule::RoundTrip`] error
/// for any other difference between `frame` and the model's re-serialization.
pub fn validate_frame(event: &ClientEvent, frame: &Value) -> Report {
    let mut checker = Checker::new(true);
    event::event(&mut checker, event);
    let fallback = event::event_schema(event);
    let after = match serde_json::to_value(event) {
        Ok(after) => after,
        Err(err) => {
            checker.findings.push(Finding {
                pointer: String::new(),
                rule: Rule::RoundTrip,
                schema: fallback,
                message: format!("the model could not re-serialize the frame: {err}"),
            });
            return Report {
                findings: checker.findings,
            };
        }
    };
    for change in fidelity::changes(frame, &after) {
        let (parent, member) =
            pointer::split_last(&change.pointer).unwrap_or_else(|| ("", change.pointer.clone()));
        let schema = checker.schema_at(parent).unwrap_or(fallback);
        let message = match &change.kind {
            ChangeKind::NullDropped => {
                format!("`{member}` is null, but the spec does not make it nullable: leave it out")
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
        checker.findings.push(Finding {
            pointer: change.pointer.clone(),
            rule,
            schema,
            message,
        });
    }
    Report {
        findings: checker.findings,
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
}

impl Checker {
    fn new(record_objects: bool) -> Self {
        Checker {
            pointer: String::new(),
            findings: Vec::new(),
            objects: record_objects.then(Vec::new),
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
