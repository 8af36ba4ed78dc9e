//! A GA frame (client or server) the conformance checker passes also passes the schema
//! of its direction; JSON-aware mutator by the frame's family, as passing frames are rare otherwise.
#![no_main]

use libfuzzer_sys::{fuzz_crossover, fuzz_mutator, fuzz_target, fuzzer_mutate};
use realtime_harness::fuzzing::{self, json_mutator as json};

fuzz_target!(init: fuzzing::warm_up(), |data: &[u8]| fuzzing::validator_schema_agrees(data));
fuzz_mutator!(|data: &mut [u8], size: usize, max: usize, seed: u32| {
    json::mutate_by_type(data, size, max, seed).unwrap_or_else(|| fuzzer_mutate(data, size, max))
});
fuzz_crossover!(|a: &[u8], b: &[u8], out: &mut [u8], seed: u32| {
    json::crossover(a, b, out, seed).unwrap_or(0)
});
