//! `server_event_json`'s checks, driven by the JSON-aware mutator with the
//! server family's shape and vocabulary (`json_mutator::mutate_server`).
#![no_main]

use realtime_harness::fuzzing::{self, json_mutator};

realtime_harness::json_aware_fuzz_target!(fuzzing::server_event_json, json_mutator::mutate_server);
