//! Arbitrary server events (the model's `Arbitrary` impls) are what a
//! conforming server sends: they round-trip byte for byte and value for
//! value, the official schema (`RealtimeServerEvent`, from the embedded
//! extract with the documented fixes) accepts every one, and the checker
//! finds no error in any of them; every one of the 46 types is drawn.

#![cfg(all(feature = "arbitrary", feature = "schema"))]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use realtime_harness::check::{validate_server_frame, Rule};
use realtime_harness::schema::SchemaOracle;
use realtime_harness::{RealtimeServerEvent, ServerEvent};

#[test]
fn arbitrary_server_events_round_trip_and_conform() {
    let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut failures: BTreeMap<(Rule, &str), String> = BTreeMap::new();
    let mut warnings: BTreeMap<Rule, u64> = BTreeMap::new();
    let mut types = BTreeSet::new();
    let mut bytes = vec![0u8; 4096];
    let oracle = SchemaOracle::shared_server().unwrap_or_else(|e| panic!("{e}"));
    let mut schema_failures: BTreeMap<String, String> = BTreeMap::new();
    for n in 0..5_000 {
        rng.fill_bytes(&mut bytes);
        let mut u = Unstructured::new(&bytes);
        let Ok(event) = ServerEvent::arbitrary(&mut u) else {
            continue;
        };
        let frame = event.to_vec();
        let back = ServerEvent::from_slice(&frame)
            .unwrap_or_else(|e| panic!("frame {n} does not parse: {e}\n{}", event.to_json()));
        assert_eq!(back, event, "frame {n}");
        assert_eq!(back.to_vec(), frame, "frame {n}");
        let value = serde_json::from_slice(&frame).unwrap();
        if let Err(violations) = oracle.validate_ga(&value) {
            let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
            schema_failures
                .entry(event.event_type().to_owned())
                .or_insert_with(|| {
                    format!("frame {n}: {}\n  {}", event.to_json(), listed.join("\n  "))
                });
        }
        let report = validate_server_frame(&event, &value);
        for error in report.errors() {
            failures
                .entry((error.rule, error.schema))
                .or_insert_with(|| format!("frame {n}: {error}\n{}", event.to_json()));
        }
        for warning in report.warnings() {
            *warnings.entry(warning.rule).or_default() += 1;
        }
        types.insert(event.to_event_type().expect("arbitrary events are GA"));
    }
    assert!(
        failures.is_empty(),
        "arbitrary server events the checker rejects (generator bugs), one each:\n{}",
        failures.values().cloned().collect::<Vec<_>>().join("\n\n")
    );
    assert!(
        schema_failures.is_empty(),
        "arbitrary server events the official schema rejects, one per type:\n{}",
        schema_failures
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    let missing: Vec<_> = RealtimeServerEvent::ALL
        .iter()
        .filter(|t| !types.contains(t))
        .collect();
    assert!(missing.is_empty(), "never drawn: {missing:?}");
    eprintln!("warnings: {warnings:?}");
}
