//! The documentation's example frames, as the corpus holds them.
//!
//! The official document gives one example per client event (`x-oaiMeta.example`); the
//! repository does not copy them, it keeps its own realistic re-authoring of each in
//! `corpus/valid/`, named `-official-`. [`DOCUMENTED_EXAMPLES`] names, for each of the eleven
//! GA client events, the frame that stands for its documented example; this test holds the
//! frames to what the examples show, and `tests/spec_drift.rs` checks, where the full document
//! is present, that each frame has the members and shape of the example it stands for.

use std::path::Path;

use realtime_harness::check::{validate_frame, Rule};
use realtime_harness::{ClientEvent, RealtimeClientEvent};
use serde_json::Value;

/// GA event type -> the corpus frame standing for its documented example. `response.create`
/// documents two frames: the bare `{"type": "response.create"}` and an out-of-band response
/// over an `item_reference` (spec defect 4); the second is the one with content to mirror.
const DOCUMENTED_EXAMPLES: [(&str, &str); 11] = [
    (
        "conversation.item.create",
        "conversation.item.create-official-user-text.json",
    ),
    (
        "conversation.item.delete",
        "conversation.item.delete-official.json",
    ),
    (
        "conversation.item.retrieve",
        "conversation.item.retrieve-official.json",
    ),
    (
        "conversation.item.truncate",
        "conversation.item.truncate-official.json",
    ),
    (
        "input_audio_buffer.append",
        "input_audio_buffer.append-official.json",
    ),
    (
        "input_audio_buffer.clear",
        "input_audio_buffer.clear-official.json",
    ),
    (
        "input_audio_buffer.commit",
        "input_audio_buffer.commit-official.json",
    ),
    (
        "output_audio_buffer.clear",
        "output_audio_buffer.clear-official.json",
    ),
    ("response.cancel", "response.cancel-official.json"),
    (
        "response.create",
        "response.create-official-out-of-band-summary.json",
    ),
    (
        "session.update",
        "session.update-official-function-tool.json",
    ),
];

/// The beta-era event the document also gives an example for (outside the GA union).
const BETA_EXAMPLE: (&str, &str) = (
    "transcription_session.update",
    "transcription_session.update-official-beta.json",
);

fn corpus_file(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/valid")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_ga_event_names_the_corpus_frame_for_its_documented_example() {
    let named: Vec<&str> = DOCUMENTED_EXAMPLES.iter().map(|(t, _)| *t).collect();
    let mut all: Vec<&str> = RealtimeClientEvent::WIRE_NAMES.to_vec();
    all.sort_unstable();
    assert_eq!(named, all, "one documented example per GA client event");

    // Every `-official-` frame of the corpus is named here, and nothing else is.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/valid");
    let mut official: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-official"))
        .collect();
    official.sort();
    let mut listed: Vec<&str> = DOCUMENTED_EXAMPLES
        .iter()
        .chain([&BETA_EXAMPLE])
        .map(|(_, f)| *f)
        .collect();
    listed.sort_unstable();
    assert_eq!(official, listed);

    for (event_type, file) in DOCUMENTED_EXAMPLES {
        assert!(
            file.starts_with(&format!("{event_type}-official")),
            "{file} is not named for {event_type}"
        );
        let bytes = corpus_file(file);
        let event = ClientEvent::from_slice(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(event.event_type(), event_type, "{file}");
        // The documented examples are clean frames: nothing to warn about, nothing normalized.
        let frame: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(serde_json::to_value(&event).unwrap(), frame, "{file}");
        let report = validate_frame(&event, &frame);
        assert!(report.is_empty(), "{file}: {:#?}", report.findings);
    }
}

#[test]
fn the_beta_era_example_is_kept_whole_and_labelled() {
    let (event_type, file) = BETA_EXAMPLE;
    let bytes = corpus_file(file);
    let event = ClientEvent::from_slice(&bytes).unwrap();
    assert_eq!(event.wire_type(), event_type);
    assert!(event.to_event_type().is_none(), "not a GA event");
    let frame: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), frame);
    let report = validate_frame(&event, &frame);
    let rules: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [Rule::BetaEventType]);
    assert!(report.is_conformant());
}

/// The oracle's verdicts on the documented examples: the GA union accepts every GA one (the
/// `response.create` one only thanks to the `item-reference-input` fix), and the beta-era one
/// satisfies only its legacy and beta schemas.
#[cfg(feature = "schema")]
#[test]
fn the_official_schema_accepts_the_documented_examples() {
    use realtime_harness::schema::{SchemaFamily, SchemaOracle, SpecDocument};

    let oracle = SchemaOracle::shared().unwrap_or_else(|e| panic!("{e}"));
    let without_item_reference =
        SchemaOracle::with_fixes(&SpecDocument::load_default().unwrap(), |id| {
            id != "item-reference-input"
        })
        .unwrap();
    for (event_type, file) in DOCUMENTED_EXAMPLES {
        let frame: Value = serde_json::from_slice(&corpus_file(file)).unwrap();
        assert_eq!(oracle.validate_ga(&frame), Ok(()), "{file}");
        let schema = oracle.ga_schema_for(event_type).unwrap();
        assert_eq!(
            oracle.validate_schema(&schema.name, &frame),
            Some(Ok(())),
            "{file}"
        );
        assert_eq!(
            without_item_reference.is_valid_ga(&frame),
            event_type != "response.create",
            "{file}: only the response.create example needs the item_reference fix"
        );
    }
    let frame: Value = serde_json::from_slice(&corpus_file(BETA_EXAMPLE.1)).unwrap();
    assert!(!oracle.is_valid_ga(&frame));
    let families: Vec<SchemaFamily> = oracle
        .matching_schemas(&frame)
        .iter()
        .map(|s| s.family)
        .collect();
    assert_eq!(families, [SchemaFamily::Legacy, SchemaFamily::Beta]);
}
