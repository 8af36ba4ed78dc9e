//! Property 8, schema conformance: every arbitrary event satisfies the
//! official schema (`RealtimeClientEvent`, read with the documented defect
//! fixes by `realtime_harness::schema`): the extract the crate embeds, or the
//! document `REALTIME_HARNESS_SPEC` names.

#[cfg(feature = "schema")]
#[test]
fn every_arbitrary_event_satisfies_the_official_schema() {
    use proptest::test_runner::{TestCaseError, TestRunner};
    use realtime_harness::schema::SchemaOracle;
    use realtime_harness::ClientEvent;

    use crate::bridge::arbitrary;
    use crate::fidelity::frame_of;

    let oracle = SchemaOracle::shared().unwrap_or_else(|e| panic!("{e}"));
    let mut runner = TestRunner::new(suite_config!("schema"));
    let outcome = runner.run(&arbitrary::<ClientEvent>(), |event| {
        let frame = frame_of(&event);
        oracle.validate_ga(&frame).map_err(|violations| {
            let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
            TestCaseError::fail(format!("{frame}\nviolates:\n  {}", listed.join("\n  ")))
        })
    });
    if let Err(failure) = outcome {
        panic!("{failure}\n{runner}");
    }
}
