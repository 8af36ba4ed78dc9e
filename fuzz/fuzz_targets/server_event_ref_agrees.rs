//! The zero-copy `ServerEventRef::from_slice`, the owned `ServerEvent::from_slice`
//! and the serde path accept, reject and serialize every input alike.
//! Body: `realtime_harness::fuzzing::server_event_ref_agrees`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use realtime_harness::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::server_event_ref_agrees(data));
