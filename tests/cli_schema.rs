//! End to end: `realtime-harness schema` against the official OpenAPI
//! document (the extract embedded in the binary, or a file given with
//! `--spec`): the corpus and generated frames validated, the fixes listed
//! once, the drift report printed; `schema extract` writing the extract.

#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::Output;

use realtime_harness::schema::known_fix_ids;
use realtime_harness::spec_files::{EMBEDDED_SPEC, SPEC_PATH_ENV};
use serde_json::Value;

/// A folder of its own for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("rh-cli-schema-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary from the repository root, with no `REALTIME_HARNESS_SPEC` (so that the
/// embedded extract is the default whatever the caller's environment says).
mod cli_support;
use cli_support::{assert_exit, harness, json_document};

/// Runs the binary with `args`, with no spec named by the environment.
fn run(args: &[&str]) -> Output {
    harness()
        .env_remove(SPEC_PATH_ENV)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn with_no_spec_the_embedded_extract_judges_the_corpus_and_generated_frames() {
    let out = run(&["schema"]);
    assert_exit(&out, 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(
            "spec: spec/realtime.schema.json (embedded) (OpenAPI 3.1.0)\n\
             from: openai/openai-openapi openapi.json at commit \
             f85dbe223d40e1a31cba812ab2d755c7e98a92a3\n"
        ),
        "{stdout}"
    );
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
    let out = run(&[
        "schema",
        "--generate",
        "50",
        "--seed",
        "9",
        "--format",
        "json",
    ]);
    let doc = json_document(&out, 0);
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
    assert_eq!(
        doc["fixes"].as_array().unwrap().len(),
        known_fix_ids().count()
    );
    assert_eq!(doc["spec"]["embedded"], true);
    assert_eq!(
        doc["spec"]["from"]["commit"],
        "f85dbe223d40e1a31cba812ab2d755c7e98a92a3"
    );
}

#[test]
fn beta_era_frames_are_labelled_and_fail_the_ga_expectation() {
    let scratch = Scratch::new("beta");
    let path = scratch.file(
        "beta.jsonl",
        "{\"type\": \"session.update\", \"session\": {\"modalities\": [\"text\"], \"voice\": \"alloy\"}}\n",
    );
    let out = run(&["schema", "--generate", "0", "--corpus", "corpus", &path]);
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

/// `--spec` and `REALTIME_HARNESS_SPEC` read a document from a file, JSON or YAML, with the
/// same fixes and drift as the embedded extract (here: the extract itself, written out).
#[test]
fn a_spec_file_json_or_yaml_or_from_the_environment_reads_like_the_embedded_one() {
    let scratch = Scratch::new("files");
    let value: Value = serde_json::from_str(EMBEDDED_SPEC).unwrap();
    let json = scratch.file("openapi.json", EMBEDDED_SPEC);
    let yaml = scratch.file("openapi.yaml", &serde_yaml_ng::to_string(&value).unwrap());
    let fixes_and_drift = |out: Output| {
        assert_eq!(out.status.code(), Some(0));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            doc["spec"]["source"].clone(),
            doc["fixes"].clone(),
            doc["drift"].clone(),
        )
    };
    let args = ["schema", "--generate", "20", "--format", "json"];
    let (source, fixes, drift) = fixes_and_drift(run(&args));
    assert_eq!(source, "spec/realtime.schema.json (embedded)");
    for path in [&json, &yaml] {
        let mut with_spec = args.to_vec();
        with_spec.extend(["--spec", path]);
        let (source, f, d) = fixes_and_drift(run(&with_spec));
        assert_eq!(
            (&source, &f, &d),
            (&Value::from(path.as_str()), &fixes, &drift)
        );
    }
    let from_env = harness()
        .env(SPEC_PATH_ENV, &yaml)
        .args(args)
        .output()
        .unwrap();
    let (source, f, d) = fixes_and_drift(from_env);
    assert_eq!(
        (&source, &f, &d),
        (&Value::from(yaml.as_str()), &fixes, &drift)
    );
}

/// `schema extract` writes the committed extract back from itself, byte for byte, from JSON
/// and from YAML; a document that is not the Realtime API's is a one-line usage error.
#[test]
fn schema_extract_reproduces_the_committed_extract() {
    let scratch = Scratch::new("extract");
    let value: Value = serde_json::from_str(EMBEDDED_SPEC).unwrap();
    let yaml = scratch.file("openapi.yaml", &serde_yaml_ng::to_string(&value).unwrap());
    for spec in ["spec/realtime.schema.json", yaml.as_str()] {
        let out = run(&["schema", "extract", "--spec", spec]);
        assert_exit(&out, 0);
        assert!(
            out.stdout == EMBEDDED_SPEC.as_bytes(),
            "{spec}: not the committed extract"
        );
    }
    let out = run(&[
        "schema",
        "extract",
        "--spec",
        "spec/realtime.schema.json",
        "--source-commit",
        "0123abc",
    ]);
    let header: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        header["x-realtime-harness-extract"]["source"]["commit"],
        "0123abc"
    );
    let other = scratch.file(
        "other.json",
        r#"{"openapi": "3.1.0", "components": {"schemas": {}}}"#,
    );
    let out = run(&["schema", "extract", "--spec", &other]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("RealtimeClientEvent") && stderr.contains("other.json"),
        "{stderr}"
    );
    let out = run(&["schema", "extract"]);
    assert_eq!(out.status.code(), Some(2), "--spec is required");
}
