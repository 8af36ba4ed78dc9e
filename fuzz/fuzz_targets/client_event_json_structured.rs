//! `client_event_json`'s checks, driven by a JSON-aware mutator that edits
//! members with the model's vocabulary (`realtime_harness::fuzzing::json_mutator`).
#![no_main]

use libfuzzer_sys::{fuzz_crossover, fuzz_mutator, fuzz_target, fuzzer_mutate};
use realtime_harness::fuzzing::{self, json_mutator};

fuzz_target!(|data: &[u8]| fuzzing::client_event_json(data));

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    json_mutator::mutate(data, size, max_size, seed)
        .unwrap_or_else(|| fuzzer_mutate(data, size, max_size))
});

fuzz_crossover!(|data1: &[u8], data2: &[u8], out: &mut [u8], seed: u32| {
    json_mutator::crossover(data1, data2, out, seed).unwrap_or(0)
});
