//! `client_event_json`'s checks, driven by a JSON-aware mutator that edits
//! members with the model's vocabulary (`realtime_harness::fuzzing::json_mutator`).
#![no_main]

use realtime_harness::fuzzing::{self, json_mutator};

realtime_harness::json_aware_fuzz_target!(fuzzing::client_event_json, json_mutator::mutate);
