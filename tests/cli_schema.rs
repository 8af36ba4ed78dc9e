//! End to end: `realtime-harness schema` against the official OpenAPI
//! document: the corpus and generated frames validated, the fixes listed
//! once, the drift report printed. Where the document is absent the tests
//! say loudly that they did not run (`.ci/run` always provides it).

#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::{Command, Output};

use realtime_harness::schema::{default_spec_path, known_fix_ids};
use serde_json::Value;

fn spec() -> Option<PathBuf> {
    let path = default_spec_path();
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "NOT RUN: the OpenAPI document {} is absent (set REALTIME_HARNESS_SPEC)",
            path.display()
        );
        None
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_realtime-harness"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_corpus_and_generated_frames_are_as_expected_and_drift_is_reported() {
    let Some(spec) = spec() else { return };
    let spec = spec.display().to_string();
    let out = run(&["schema", "--spec", &spec]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with(&format!("spec: {spec} (OpenAPI 3.1.0)")));
    // Each applied fix is printed once.
    for id in known_fix_ids() {
        let lines = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("  {id}: ")))
            .count();
        assert!(lines <= 1, "{id} printed {lines} times");
    }
    assert!(stdout.contains("  nullable: "));
    for group in ["corpus/valid ", "corpus/invalid ", "generated (seed 0) "] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(group))
            .unwrap_or_else(|| panic!("no row for {group}:\n{stdout}"));
        assert!(row.trim_end().ends_with(" 0"), "unexpected frames: {row}");
    }
    assert!(stdout.contains("drift between the schema and the model"));
    assert!(stdout.contains("every frame is as expected"));
    // Corpus frames are listed one by one with the schemas they satisfy.
    assert!(stdout.contains(
        "corpus/valid/transcription_session.update-official-beta.json:1: transcription_session.update: \
         GA none; legacy RealtimeClientEventTranscriptionSessionUpdate"
    ));
}

#[test]
fn json_output_has_frames_groups_and_drift() {
    let Some(spec) = spec() else { return };
    let out = run(&[
        "schema",
        "--spec",
        &spec.display().to_string(),
        "--generate",
        "50",
        "--seed",
        "9",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["as_expected"], true);
    let generated = &doc["groups"]["generated (seed 9)"];
    assert_eq!(generated["frames"], 50);
    assert_eq!(generated["ga"], 50);
    let frames = doc["frames"].as_array().unwrap();
    assert!(frames
        .iter()
        .filter(|f| f["group"] == "generated (seed 9)")
        .all(|f| f["ga_valid"] == true && f["checker"]["conforms"] == true));
    // The model is derived from the schema: the one drift is the
    // `item_reference` the model accepts in `conversation.item.create`
    // (the checker reports it there, rule `item-reference-placement`).
    let drift = &doc["drift"];
    assert_eq!(drift["schema_only_members"], serde_json::json!([]));
    assert_eq!(drift["model_only_members"], serde_json::json!([]));
    assert_eq!(drift["schema_only_values"], serde_json::json!([]));
    assert_eq!(
        drift["model_only_values"],
        serde_json::json!([{"path": "conversation.item.create/item.type",
                            "value": "item_reference", "schema_rejects": true}])
    );
    assert_eq!(
        drift["not_compared"],
        serde_json::json!(["transcription_session.update"])
    );
    assert!(doc["fixes"].as_array().unwrap().len() >= 4);
}

#[test]
fn beta_era_frames_are_labelled_and_fail_the_ga_expectation() {
    let Some(spec) = spec() else { return };
    let dir = std::env::temp_dir().join(format!("rh-cli-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("beta.jsonl");
    std::fs::write(
        &path,
        "{\"type\": \"session.update\", \"session\": {\"modalities\": [\"text\"], \"voice\": \"alloy\"}}\n",
    )
    .unwrap();
    let path = path.display().to_string();
    let out = run(&[
        "schema",
        "--spec",
        &spec.display().to_string(),
        "--generate",
        "0",
        "--corpus",
        "corpus",
        &path,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&format!("{path}:1: ")))
        .unwrap();
    assert!(
        line.contains(
            "GA none; beta-era RealtimeBetaClientEventSessionUpdate; checker parse-error"
        ),
        "{line}"
    );
    assert!(stdout.contains(&format!("{path}:1: fails the GA schema")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_spec_is_a_one_line_usage_error() {
    let out = run(&["schema", "--spec", "no/such/openapi.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no/such/openapi.yaml"), "{stderr}");
    let out = run(&["schema", "--spec", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cargo.toml"));
}

#[test]
fn a_yaml_document_is_read_like_the_json_one() {
    let Some(spec) = spec() else { return };
    let value: Value = serde_json::from_slice(&std::fs::read(&spec).unwrap()).unwrap();
    let dir = std::env::temp_dir().join(format!("rh-cli-schema-yaml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = dir.join("openapi.yaml");
    std::fs::write(&yaml, serde_yaml_ng::to_string(&value).unwrap()).unwrap();
    let fixes = |path: &str| {
        let out = run(&[
            "schema",
            "--spec",
            path,
            "--generate",
            "20",
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{path}");
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        (doc["fixes"].clone(), doc["drift"].clone())
    };
    assert_eq!(
        fixes(&yaml.display().to_string()),
        fixes(&spec.display().to_string())
    );
    let _ = std::fs::remove_dir_all(&dir);
}
