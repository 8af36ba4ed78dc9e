//! Property 8, schema conformance: every arbitrary event satisfies the
//! official schema (`RealtimeClientEvent`, read with the documented defect
//! fixes by `realtime_harness::schema`).
//!
//! The document is OpenAI's data and is not shipped with the crate: it is
//! read from `REALTIME_HARNESS_SPEC` or `../shared/spec/`. Where it is
//! absent, or the crate is built without the `schema` feature, this test
//! says loudly on stderr that it did not run, and why.

/// Says loudly that the test did not run. Written to the stderr handle
/// itself: the test harness captures `eprintln!` of passing tests.
fn did_not_run(test: &str, why: &str) {
    use std::io::Write;
    let rule = "*".repeat(72);
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n{rule}\n* SKIPPED proptests::schema::{test}: DID NOT RUN.\n* Why: {why}\n{rule}\n"
    );
}

#[cfg(feature = "schema")]
#[test]
fn every_arbitrary_event_satisfies_the_official_schema() {
    use proptest::test_runner::{TestCaseError, TestRunner};
    use realtime_harness::schema::{default_spec_path, SchemaOracle};
    use realtime_harness::ClientEvent;

    use crate::bridge::arbitrary;
    use crate::fidelity::frame_of;

    let path = default_spec_path();
    if !path.is_file() {
        did_not_run(
            "every_arbitrary_event_satisfies_the_official_schema",
            &format!(
                "the OpenAPI document is not at {}; set REALTIME_HARNESS_SPEC to it",
                path.display()
            ),
        );
        return;
    }
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

#[cfg(not(feature = "schema"))]
#[test]
fn every_arbitrary_event_satisfies_the_official_schema() {
    did_not_run(
        "every_arbitrary_event_satisfies_the_official_schema",
        "built without the `schema` feature (cargo test --features schema)",
    );
}
