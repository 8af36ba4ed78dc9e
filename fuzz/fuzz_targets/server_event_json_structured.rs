//! `server_event_json`'s checks, driven by the JSON-aware mutator with the
//! server family's shape and vocabulary (`json_mutator::mutate_server`).
#![no_main]

use libfuzzer_sys::{fuzz_crossover, fuzz_mutator, fuzz_target, fuzzer_mutate};
use realtime_harness::fuzzing::{self, json_mutator as json};

fuzz_target!(|data: &[u8]| fuzzing::server_event_json(data));
fuzz_mutator!(|data: &mut [u8], size: usize, max: usize, seed: u32| {
    json::mutate_server(data, size, max, seed).unwrap_or_else(|| fuzzer_mutate(data, size, max))
});
fuzz_crossover!(|a: &[u8], b: &[u8], out: &mut [u8], seed: u32| {
    json::crossover(a, b, out, seed).unwrap_or(0)
});
