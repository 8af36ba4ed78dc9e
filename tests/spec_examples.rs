//! The official examples (`../shared/spec/examples/`) parse and serialize
//! back to the same JSON value.

use realtime_harness::ClientEvent;
use serde_json::Value;

#[test]
fn every_official_example_round_trips_unchanged() {
    let Some(files) = realtime_harness::spec_files::official_example_files() else {
        eprintln!("NOT RUN: the official examples directory (../shared/spec/examples) is absent");
        return;
    };
    let mut checked = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let event =
            ClientEvent::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let again = serde_json::to_value(&event).unwrap();
        assert_eq!(
            again,
            original,
            "{} changed in a round trip",
            path.display()
        );
        assert_eq!(event.wire_type(), original["type"].as_str().unwrap());
        checked += 1;
    }
    assert_eq!(checked, 13, "expected the 13 official examples");
}
