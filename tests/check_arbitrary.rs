//! Arbitrary events (the model's `Arbitrary` impls, as `gen` draws them)
//! are spec-valid: the validator finds no error in any of them.

#![cfg(feature = "cli")]

use std::collections::BTreeMap;

use realtime_harness::check::{validate, validate_frame, Rule};
use realtime_harness::cli::gen::Generator;
use realtime_harness::RealtimeClientEvent;

#[test]
fn arbitrary_events_pass_the_validator_over_many_seeds() {
    let mut warnings: BTreeMap<Rule, u64> = BTreeMap::new();
    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    let mut failures: BTreeMap<(Rule, &str), String> = BTreeMap::new();
    let mut checked = 0u64;
    for seed in 0..40u64 {
        let mut generator = Generator::new(seed, Vec::new(), None);
        for n in 0..500 {
            let event = generator
                .next_arbitrary()
                .expect("generation never gives up");
            let report = validate(&event);
            for error in report.errors() {
                // One example per rule and schema: a generator bug shows once.
                failures
                    .entry((error.rule, error.schema))
                    .or_insert_with(|| {
                        format!("seed {seed}, frame {n}: {error}\n{}", event.to_json())
                    });
            }
            // What `check` sees: the serialized frame round-trips unchanged.
            let frame = serde_json::to_value(&event).unwrap();
            let extra = validate_frame(&event, &frame);
            assert!(
                !extra.has(Rule::RoundTrip) && !extra.has(Rule::NullMember),
                "seed {seed}, frame {n}: {:#?}",
                extra.findings
            );
            for finding in report.warnings() {
                *warnings.entry(finding.rule).or_default() += 1;
            }
            *types.entry(event.event_type().to_owned()).or_default() += 1;
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "arbitrary events the validator rejects (generator bugs), one example each:\n{}",
        failures.values().cloned().collect::<Vec<_>>().join("\n\n")
    );
    assert_eq!(checked, 20_000);
    // Every GA event type is drawn: the generator covers the whole union.
    assert_eq!(types.len(), RealtimeClientEvent::ALL.len(), "{types:?}");
    eprintln!("warnings over {checked} arbitrary events: {warnings:?}");
}

#[test]
fn generation_is_deterministic_and_restricted_types_hold() {
    let draw = |seed| {
        let mut g = Generator::new(seed, vec![RealtimeClientEvent::SessionUpdate], None);
        (0..50)
            .map(|_| g.next_valid().unwrap().to_json())
            .collect::<Vec<_>>()
    };
    let a = draw(7);
    assert_eq!(a, draw(7));
    assert_ne!(a, draw(8));
    assert!(a
        .iter()
        .all(|f| f.starts_with(r#"{"type":"session.update""#)));
}

#[test]
fn audio_sizes_follow_the_requested_range() {
    let mut g = Generator::new(
        3,
        vec![RealtimeClientEvent::InputAudioBufferAppend],
        Some(1000..=1002),
    );
    for _ in 0..20 {
        let event = g.next_valid().unwrap();
        let realtime_harness::ClientEvent::InputAudioBufferAppend { audio, .. } = &event else {
            panic!("wrong type: {}", event.event_type());
        };
        let len = audio.decode().unwrap().len();
        assert!((1000..=1002).contains(&len), "{len}");
    }
}
