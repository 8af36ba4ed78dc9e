//! A GA frame the conformance checker passes also passes the official
//! schema (needs the spec, see `realtime_harness::schema::default_spec_path`).
//! Body: `realtime_harness::fuzzing::validator_schema_agrees`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use realtime_harness::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::validator_schema_agrees(data));
