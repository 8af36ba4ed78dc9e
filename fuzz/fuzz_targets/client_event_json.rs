//! Raw bytes to `ClientEvent::from_slice`: no panic, and every accepted
//! frame round-trips faithfully. Body: `realtime_harness::fuzzing::client_event_json`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use realtime_harness::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::client_event_json(data));
