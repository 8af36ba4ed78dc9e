//! A GA frame (client or server) the conformance checker passes also passes the schema
//! of its direction; JSON-aware mutator by the frame's family, as passing frames are rare otherwise.
#![no_main]

use realtime_harness::fuzzing::{self, json_mutator};

realtime_harness::json_aware_fuzz_target!(
    init: fuzzing::warm_up(),
    fuzzing::validator_schema_agrees,
    json_mutator::mutate_by_type
);
