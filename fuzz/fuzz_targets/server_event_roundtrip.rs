//! An arbitrary (spec-valid) `ServerEvent` round-trips, passes the checker
//! and the official schema. Body: `realtime_harness::fuzzing::server_event_roundtrip`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use realtime_harness::{fuzzing, ServerEvent};

fuzz_target!(init: fuzzing::warm_up(), |e: ServerEvent| fuzzing::server_event_roundtrip(&e));
