//! The generators and the conformance checker agree: every arbitrary event
//! passes `check::validate` with no error, and `check::validate_frame` finds
//! no round-trip change in its frame. A failure is a bug in one of the two
//! (an `Arbitrary` impl that makes invalid frames, or a checker rule that
//! rejects valid ones); the message names the rule.

use proptest::prelude::*;
use realtime_harness::check::{validate, validate_frame, Rule};
use realtime_harness::ClientEvent;

use crate::bridge::arbitrary;
use crate::fidelity::frame_of;

proptest! {
    #![proptest_config(suite_config!("conformance"))]

    #[test]
    fn every_arbitrary_event_passes_the_checker(event in arbitrary::<ClientEvent>()) {
        let report = validate(&event);
        let errors: Vec<String> = report.errors().map(|f| format!("{f:?}")).collect();
        prop_assert!(report.is_conformant(), "{}\nin {}", errors.join("\n"), event.to_json());

        let frame = frame_of(&event);
        let round_trip: Vec<String> = validate_frame(&event, &frame)
            .findings
            .iter()
            .filter(|f| f.rule == Rule::RoundTrip)
            .map(|f| format!("{f:?}"))
            .collect();
        prop_assert!(round_trip.is_empty(), "{}\nin {}", round_trip.join("\n"), frame);
    }
}
