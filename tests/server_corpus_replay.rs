//! Replays the server corpus (`corpus/server/`): every valid frame parses to
//! the type its name gives, re-serializes to the same JSON value except for
//! the documented null normalization, and has no checker error (spec-valid
//! frames no finding of a shared rule the corpus is known to trip; see
//! below); every invalid frame is refused with the exact error in its
//! `.expected`, or parses and draws the checker errors listed there.
//!
//! `.expected` holds one line: the `ParseError` display for a frame the
//! parser refuses, or `check: ` and the ids and pointers of the checker's
//! errors (`check: usage-totals /response/usage/total_tokens`) for a frame
//! the schema accepts and only the checker can judge.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use realtime_harness::check::{validate_server_frame, Rule};
use realtime_harness::fidelity::changes;
use realtime_harness::schema::SchemaOracle;
use realtime_harness::{RealtimeServerEvent, ServerEvent};
use serde_json::Value;

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_frames_parse_round_trip_and_conform() {
    let mut types = BTreeSet::new();
    let mut count = 0;
    for path in files("corpus/server/valid") {
        let name = name(&path);
        let bytes = fs::read(&path).unwrap();
        let event = ServerEvent::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let wire = name.split('-').next().unwrap();
        let ty = event
            .to_event_type()
            .unwrap_or_else(|| panic!("{name} parsed as Unknown"));
        assert_eq!(ty.as_str(), wire, "{name}");
        types.insert(ty);

        let frame: Value = serde_json::from_slice(&bytes).unwrap();
        let after = serde_json::to_value(&event).unwrap();
        for change in changes(&frame, &after) {
            assert!(
                change.is_normalization(),
                "{name}: the round trip changed {}: {:?}",
                change.pointer,
                change.kind
            );
            assert!(
                name.contains("-real-"),
                "{name}: a spec-valid frame has a null to drop"
            );
        }

        let report = validate_server_frame(&event, &frame);
        assert!(report.is_conformant(), "{name}: {:#?}", report.findings);
        if !name.contains("-real-") {
            let oracle = SchemaOracle::shared_server().unwrap_or_else(|e| panic!("{e}"));
            if let Err(violations) = oracle.validate_ga(&frame) {
                panic!("{name} violates RealtimeServerEvent: {violations:#?}");
            }
        }
        count += 1;
    }
    let missing: Vec<&str> = RealtimeServerEvent::ALL
        .iter()
        .filter(|t| !types.contains(t))
        .map(|t| t.as_str())
        .collect();
    assert!(missing.is_empty(), "no valid frame of {missing:?}");
    assert!(count >= 80, "only {count} valid server frames");
}

#[test]
fn real_server_nulls_are_the_ones_the_model_drops() {
    // The shapes live servers send that the schema does not allow: each
    // must parse, and its nulls come back as `null-member` warnings.
    let mut warned = BTreeSet::new();
    for path in files("corpus/server/valid") {
        let name = name(&path);
        if !name.contains("-real-") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let event = ServerEvent::from_slice(&bytes).unwrap();
        let frame: Value = serde_json::from_slice(&bytes).unwrap();
        for finding in validate_server_frame(&event, &frame).findings {
            if finding.rule == Rule::NullMember {
                warned.insert(finding.pointer.rsplit('/').next().unwrap().to_owned());
            }
        }
    }
    for member in [
        "status_details",
        "usage",
        "include",
        "transcript",
        "code",
        "param",
    ] {
        assert!(
            warned.contains(member),
            "no real frame sends `{member}: null`: {warned:?}"
        );
    }
}

fn outcome(bytes: &[u8]) -> String {
    match ServerEvent::from_slice(bytes) {
        Err(e) => e.to_string(),
        Ok(event) => {
            let frame: Value = serde_json::from_slice(bytes).expect("a parsed frame is JSON");
            let errors: Vec<String> = validate_server_frame(&event, &frame)
                .errors()
                .map(|f| format!("{} {}", f.rule, f.pointer))
                .collect();
            format!("check: {}", errors.join(", "))
        }
    }
}

#[test]
fn invalid_frames_are_refused_as_expected() {
    let mut count = 0;
    let bless = std::env::var_os("BLESS").is_some();
    for path in files("corpus/server/invalid") {
        let ext = path.extension().and_then(|e| e.to_str());
        if !matches!(ext, Some("json" | "txt")) {
            continue;
        }
        let name = name(&path);
        let got = outcome(&fs::read(&path).unwrap());
        assert_ne!(got, "check: ", "{name} parses and conforms");
        let expected_path = path.with_extension("expected");
        if bless {
            fs::write(&expected_path, format!("{got}\n")).unwrap();
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        assert_eq!(got, expected.trim_end_matches('\n'), "{name}");
        assert!(path.with_extension("why").is_file(), "{name} has no .why");
        count += 1;
    }
    assert!(count >= 30, "only {count} invalid server frames");
}
