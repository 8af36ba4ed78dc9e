//! The drift check: the committed extract (`spec/realtime.schema.json`) against the full
//! OpenAPI document it is made from.
//!
//! The full document is not in the repository. This is the one test that reads it, from
//! `REALTIME_HARNESS_SPEC` or from `../shared/spec/openai-realtime.openapi.json` beside the
//! clone (as CI lays it out). Where it is found, the test requires:
//!
//! - re-extracting it gives the committed extract byte for byte;
//! - the oracle built from the full document and the one built from the extract apply the same
//!   defect fixes at the same places, compile the same event schemas and list the same members;
//! - every example the document gives for a client event (`x-oaiMeta.example`, which the
//!   extract leaves out) satisfies its schema in the oracle built from the extract;
//! - every `-official-` frame of `corpus/valid/` has the members and JSON types of one of the
//!   documented examples of its event (the corpus re-authors them rather than copying them).
//!
//! Where the document is absent the test passes having compared nothing, and says so on stdout
//! and stderr (written to the handles, so it shows without `--nocapture` too). With
//! `REALTIME_HARNESS_REQUIRE_SPEC=1` (CI sets it) an absent document is a failure instead.
#![cfg(feature = "schema")]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use realtime_harness::schema::{
    extract, schema_members, ExtractSource, SchemaOracle, SpecDocument, REGENERATE_COMMAND,
};
use realtime_harness::spec_files::{
    full_document_path, EMBEDDED_SPEC, EMBEDDED_SPEC_PATH, FULL_DOCUMENT_BESIDE, SPEC_PATH_ENV,
};
use serde_json::Value;

/// Set to `1` to make an absent full document a failure (CI, which always has it).
const REQUIRE_ENV: &str = "REALTIME_HARNESS_REQUIRE_SPEC";

/// Says something on both stdout and stderr, past the test harness's capture.
fn announce(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

#[test]
fn spec_drift_against_the_full_document_or_compared_nothing() {
    let Some(path) = full_document_path() else {
        let why = format!(
            "spec_drift: COMPARED NOTHING: no full OpenAPI document (set {SPEC_PATH_ENV}, or \
             lay it out at {FULL_DOCUMENT_BESIDE} beside the clone); the committed \
             {EMBEDDED_SPEC_PATH} was not checked against its source"
        );
        assert!(
            std::env::var_os(REQUIRE_ENV).is_none_or(|v| v != "1"),
            "{why} ({REQUIRE_ENV}=1 requires it)"
        );
        announce(&why);
        return;
    };
    let full = SpecDocument::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let extract_doc = SpecDocument::embedded();

    let schemas = committed_extract_matches(&full, &path);
    let fixes = oracles_agree(&full, &extract_doc);
    let examples = documented_examples_satisfy_the_extract(&full, &extract_doc);
    let mirrored = corpus_frames_mirror_the_examples(&full);
    announce(&format!(
        "spec_drift: compared {EMBEDDED_SPEC_PATH} with {}: identical ({schemas} schemas, \
         {fixes} defect fixes alike); {examples} documented example frames satisfy the \
         extract's oracle; {mirrored} corpus frames mirror a documented example",
        path.display()
    ));
}

/// Re-extracts `full` and compares it with the committed extract; returns the schema count.
fn committed_extract_matches(full: &SpecDocument, path: &Path) -> usize {
    let mut source = ExtractSource::of(full);
    if source.commit.is_none() {
        // A plain upstream download does not say which commit it is; the question here is
        // whether its schemas match, so it is credited with the committed extract's source.
        let license = source.license.take();
        source = ExtractSource::of(&SpecDocument::embedded());
        source.license = license.or(source.license);
    }
    let fresh = extract(full, &source).unwrap_or_else(|e| panic!("{e}"));
    if fresh != EMBEDDED_SPEC {
        let first = fresh
            .lines()
            .zip(EMBEDDED_SPEC.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| fresh.lines().count().min(EMBEDDED_SPEC.lines().count()));
        let parse = |text: &str| -> BTreeMap<String, Value> {
            let value: Value = serde_json::from_str(text).unwrap();
            value["components"]["schemas"]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        let (new, old) = (parse(&fresh), parse(EMBEDDED_SPEC));
        let names = |f: &dyn Fn(&String) -> bool| -> Vec<String> {
            new.keys()
                .chain(old.keys())
                .filter(|n| f(n))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        panic!(
            "{EMBEDDED_SPEC_PATH} has drifted from {}: first difference at line {}\n  \
             added: {:?}\n  removed: {:?}\n  changed: {:?}\nregenerate it: {REGENERATE_COMMAND} \
             (OPENAPI_FILE = {})",
            path.display(),
            first + 1,
            names(&|n| !old.contains_key(n)),
            names(&|n| !new.contains_key(n)),
            names(&|n| old.contains_key(n) && new.contains_key(n) && old[n] != new[n]),
            path.display()
        );
    }
    full_schema_count(&fresh)
}

fn full_schema_count(text: &str) -> usize {
    let value: Value = serde_json::from_str(text).unwrap();
    value["components"]["schemas"]
        .as_object()
        .map_or(0, |o| o.len())
}

/// The oracle reads the full document and the extract alike; returns the number of fixes.
fn oracles_agree(full: &SpecDocument, extract_doc: &SpecDocument) -> usize {
    let from_full = SchemaOracle::new(full).unwrap_or_else(|e| panic!("{e}"));
    let from_extract = SchemaOracle::new(extract_doc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        from_full.fixes(),
        from_extract.fixes(),
        "the defect fixes differ between the full document and the extract"
    );
    assert_eq!(
        from_full.event_schemas().collect::<Vec<_>>(),
        from_extract.event_schemas().collect::<Vec<_>>()
    );
    assert_eq!(
        schema_members(full).unwrap(),
        schema_members(extract_doc).unwrap(),
        "the drift report's schema side differs between the full document and the extract"
    );
    from_extract.fixes().len()
}

/// Every documented example frame satisfies its own schema, judged by the extract's oracle.
fn documented_examples_satisfy_the_extract(
    full: &SpecDocument,
    extract_doc: &SpecDocument,
) -> usize {
    let oracle = SchemaOracle::new(extract_doc).unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for event in oracle.event_schemas() {
        for frame in full.examples(&event.name).unwrap_or_else(|e| panic!("{e}")) {
            let verdict = oracle.validate_schema(&event.name, &frame).unwrap();
            assert_eq!(verdict, Ok(()), "{} example {frame}", event.name);
            assert_eq!(
                frame.get("type").and_then(Value::as_str),
                event.event_type.as_deref(),
                "{}",
                event.name
            );
            checked += 1;
        }
    }
    // 11 GA + 1 legacy + 12 beta schemas; both response.create examples hold two frames.
    assert!(
        checked >= 26,
        "only {checked} documented example frames found"
    );
    checked
}

/// What a frame is made of: each member's path and JSON type. Free-form objects (a tool's
/// `parameters` JSON Schema, `metadata`) count as one member: their contents are the user's.
fn members(value: &Value, path: &str, out: &mut BTreeSet<(String, &'static str)>) {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    out.insert((path.to_owned(), kind));
    let free_form = path.ends_with("/parameters") || path.ends_with("/metadata");
    match value {
        Value::Object(object) if !free_form => {
            for (key, child) in object {
                members(child, &format!("{path}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                members(child, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every `-official-` corpus frame mirrors one documented example of its event; every GA event
/// has such a frame. Returns how many frames were compared.
fn corpus_frames_mirror_the_examples(full: &SpecDocument) -> usize {
    let oracle = SchemaOracle::new(full).unwrap_or_else(|e| panic!("{e}"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/valid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("-official"))
        .collect();
    files.sort();
    let mut covered = BTreeSet::new();
    for path in &files {
        let frame: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let event_type = frame["type"].as_str().unwrap().to_owned();
        let mut shape = BTreeSet::new();
        members(&frame, "", &mut shape);
        let mirrored = oracle
            .event_schemas()
            .filter(|s| s.event_type.as_deref() == Some(event_type.as_str()))
            .filter(|s| !s.name.starts_with("RealtimeBeta"))
            .flat_map(|s| full.examples(&s.name).unwrap())
            .any(|example| {
                let mut documented = BTreeSet::new();
                members(&example, "", &mut documented);
                documented == shape
            });
        assert!(
            mirrored,
            "{}: no documented example of `{event_type}` has the same members and types",
            path.display()
        );
        covered.insert(event_type);
    }
    for ga in realtime_harness::RealtimeClientEvent::WIRE_NAMES {
        assert!(covered.contains(*ga), "no -official- corpus frame for {ga}");
    }
    files.len()
}
