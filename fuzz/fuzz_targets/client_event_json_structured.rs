//! `client_event_json`'s checks, driven by a JSON-aware mutator that edits
//! members with the model's vocabulary (`realtime_harness::fuzzing::json_mutator`).
#![no_main]

use libfuzzer_sys::{fuzz_crossover, fuzz_mutator, fuzz_target, fuzzer_mutate};
use realtime_harness::fuzzing::{self, json_mutator as json};

fuzz_target!(|data: &[u8]| fuzzing::client_event_json(data));
fuzz_mutator!(|data: &mut [u8], size: usize, max: usize, seed: u32| {
    json::mutate(data, size, max, seed).unwrap_or_else(|| fuzzer_mutate(data, size, max))
});
fuzz_crossover!(|a: &[u8], b: &[u8], out: &mut [u8], seed: u32| {
    json::crossover(a, b, out, seed).unwrap_or(0)
});
