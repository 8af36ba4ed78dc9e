//! Raw bytes to `ServerEvent::from_slice`: no panic, errors say where, every
//! accepted frame round-trips faithfully and the zero-copy path agrees.
//! Body: `realtime_harness::fuzzing::server_event_json`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use realtime_harness::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::server_event_json(data));
