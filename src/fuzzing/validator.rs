//! `validator_schema_agrees`: the conformance checker and the official
//! schema judge GA frames of both directions alike.

use serde_json::Value;

use crate::check::{self, Report, Rule};
use crate::events::Family;
use crate::schema::SchemaOracle;
use crate::{ClientEvent, ServerEvent};

/// `validator_schema_agrees`: a GA frame of either direction that the
/// conformance checker passes (no error) satisfies the official schema of
/// its direction ([`SchemaOracle::shared_of`], defects fixed). The direction
/// is the frame's `type` ([`Family::of_type`]; the two sets of names are
/// disjoint): client frames are judged by [`check::validate_frame`] and
/// `RealtimeClientEvent`, server frames by [`check::validate_server_frame`]
/// and `RealtimeServerEvent`.
///
/// The checker's deliberate leniencies ([`LENIENCIES`]) are left out: frames
/// it only warns about, on purpose, where the schema is stricter.
///
/// The schema is the embedded extract, or the document `REALTIME_HARNESS_SPEC`
/// names (a newer download to fuzz against); panics when that cannot be loaded.
pub fn validator_schema_agrees(data: &[u8]) {
    let Ok(frame) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Some(family) = frame
        .get("type")
        .and_then(Value::as_str)
        .and_then(Family::of_type)
    else {
        return;
    };
    let Some(report) = judge(family, data, &frame) else {
        return;
    };
    if report.errors().next().is_some() || LENIENCIES.iter().any(|r| report.has(*r)) {
        return;
    }
    let oracle = SchemaOracle::shared_of(family)
        .unwrap_or_else(|e| panic!("validator_schema_agrees needs the official schema: {e}"));
    if let Err(violations) = oracle.validate_ga(&frame) {
        let shown: Vec<String> = violations.iter().map(ToString::to_string).collect();
        panic!(
            "the checker passed a {} frame the schema rejects: {}\nwarnings: {:?}\nframe: {frame}",
            family.as_str(),
            shown.join("; "),
            report.warnings().collect::<Vec<_>>()
        );
    }
}

/// Warnings the checker gives, on purpose, where the schema rejects:
///
/// - [`Rule::NullMember`]: an explicit `null` on a member the spec does not
///   make nullable; the model reads it as absent, and real servers send such
///   `null`s (`status_details`, `usage`, ...).
/// - [`Rule::ServerVoiceName`]: a server session's `voice` given as a custom
///   voice object (`{"id": ...}`) rather than a name; a server may echo the
///   custom voice a client set, and the shared model reads both, while the
///   server schema (`VoiceIdsShared`) allows a name alone. Found by this
///   target: `corpus/regressions/validator-server-session-voice-object.json`.
pub const LENIENCIES: &[Rule] = &[Rule::NullMember, Rule::ServerVoiceName];

/// The checker's report on a frame of `family`, or `None` when the model
/// does not read it as a GA event of that family (a frame the model
/// rejects is the JSON targets' concern, not this one's).
fn judge(family: Family, data: &[u8], frame: &Value) -> Option<Report> {
    match family {
        Family::Client => {
            let event = ClientEvent::from_slice(data).ok()?;
            event.to_event_type()?;
            Some(check::validate_frame(&event, frame))
        }
        Family::Server => {
            let event = ServerEvent::from_slice(data).ok()?;
            event.to_event_type()?;
            Some(check::validate_server_frame(&event, frame))
        }
    }
}
