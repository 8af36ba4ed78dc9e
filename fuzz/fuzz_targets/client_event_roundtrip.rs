//! An arbitrary (spec-valid) `ClientEvent` serializes, parses back equal,
//! and keeps its JSON value. Body: `realtime_harness::fuzzing::client_event_roundtrip`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use realtime_harness::{fuzzing, ClientEvent};

fuzz_target!(|event: ClientEvent| fuzzing::client_event_roundtrip(&event));
