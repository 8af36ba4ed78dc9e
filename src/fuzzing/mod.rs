//! Fuzz target bodies, shared by the cargo-fuzz shims in `fuzz/fuzz_targets/`
//! and by the stable smoke test (`tests/fuzz_smoke.rs`), which runs every
//! body on the committed corpus and on fixed-seed pseudo-random inputs, so a
//! target can never rot unnoticed.
//!
//! A body returns normally for any input the model rejects; it panics (the
//! fuzzer's "crash") only when the model breaks one of its promises:
//! a parsed frame that does not survive a round trip, a re-serialization
//! that changes anything but a dropped `null`, a catch-all that loses
//! members, an `event_type` that disagrees with the frame's `type`.
//!
//! The bodies live by direction: `client` ([`ClientEvent`]), `server`
//! ([`ServerEvent`]) and `validator` (both); the checks every JSON target
//! makes of a frame are written once, over both families, in `frame`.
//!
//! Adding a target: write its body in the file of its direction, add an
//! entry to [`TARGETS`], a 5-15 line shim `fuzz/fuzz_targets/<name>.rs` and
//! its `[[bin]]` in `fuzz/Cargo.toml`; if it takes `arbitrary` bytes, name it
//! in `FUZZ_ARBITRARY_TARGETS` in `fuzz/targets.sh`. Name it after its
//! family (`client_event_*`, `server_event_*`): the campaign seeds it from
//! that family's corpus and gives it that family's dictionary. The smoke
//! test checks that all of these agree and runs the new body on the whole
//! corpus.

mod client;
pub mod dictionary;
mod frame;
pub mod json_mutator;
mod server;
#[cfg(feature = "schema")]
mod validator;

/// The PRNG's first home; it now serves the whole crate.
pub use crate::rng;

pub use client::{client_event_json, client_event_ref_agrees, client_event_roundtrip};
pub use frame::{check_parsed_frame, FrameEvent};
pub use server::{server_event_json, server_event_ref_agrees, server_event_roundtrip};
#[cfg(feature = "schema")]
pub use validator::{validator_schema_agrees, LENIENCIES};

use arbitrary::{Arbitrary, Unstructured};

/// Compiles, before the first input, the official schema's validators that
/// the schema targets otherwise build lazily on their first input (1.2 to
/// 1.5 s under AddressSanitizer). The shims of those targets call it from
/// `fuzz_target!`'s `init:`, so that libFuzzer does not charge it to an
/// input: in fork mode every job is a new process, and on a loaded machine
/// the first input of a job crossed libFuzzer's 10 s slow-unit mark (a
/// 55-byte `server_event_roundtrip` input, 1.3 s alone, 0 ms once warm).
/// A schema that fails to load is reported by the body, on its first input.
#[cfg(feature = "schema")]
pub fn warm_up() {
    for family in [Family::Client, Family::Server] {
        let _ = crate::schema::SchemaOracle::shared_of(family);
    }
}

use crate::events::Family;
use crate::{ClientEvent, ServerEvent};

/// A fuzz target, as registered for the smoke test and the campaign.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// Target name = shim file name = binary name.
    pub name: &'static str,
    /// The family whose frames the target takes, `None` for both: its seeds
    /// are that family's corpus, its dictionary that family's words.
    pub family: Option<Family>,
    /// What the target feeds its body.
    pub body: Body,
    /// The custom mutator, if the target has one.
    pub mutator: Option<Mutator>,
    /// The custom crossover, if the target has one.
    pub crossover: Option<Crossover>,
}

/// The body of a target, by the input it takes.
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// Raw bytes (a frame as received).
    Bytes(fn(&[u8])),
    /// A structured client event built with `arbitrary` from the bytes, as
    /// `libfuzzer_sys::fuzz_target!(|event: ClientEvent| ...)` builds it.
    ClientEvent(fn(&ClientEvent)),
    /// A structured server event, built the same way.
    ServerEvent(fn(&ServerEvent)),
}

/// A libFuzzer custom mutator: `(data, size, max_size, seed)` to the new
/// size, or `None` to fall back to libFuzzer's own byte mutation.
pub type Mutator = fn(&mut [u8], usize, usize, u32) -> Option<usize>;

/// A libFuzzer custom crossover: `(data1, data2, out, seed)` to the size
/// written to `out`, or `None` to leave this turn to the mutator.
pub type Crossover = fn(&[u8], &[u8], &mut [u8], u32) -> Option<usize>;

/// Every fuzz target, in the order the campaign runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "client_event_json",
        family: Some(Family::Client),
        body: Body::Bytes(client_event_json),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "client_event_roundtrip",
        family: Some(Family::Client),
        body: Body::ClientEvent(client_event_roundtrip),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "client_event_json_structured",
        family: Some(Family::Client),
        body: Body::Bytes(client_event_json),
        mutator: Some(json_mutator::mutate),
        crossover: Some(json_mutator::crossover),
    },
    Target {
        name: "client_event_ref_agrees",
        family: Some(Family::Client),
        body: Body::Bytes(client_event_ref_agrees),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "server_event_json",
        family: Some(Family::Server),
        body: Body::Bytes(server_event_json),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "server_event_roundtrip",
        family: Some(Family::Server),
        body: Body::ServerEvent(server_event_roundtrip),
        mutator: None,
        crossover: None,
    },
    Target {
        name: "server_event_json_structured",
        family: Some(Family::Server),
        body: Body::Bytes(server_event_json),
        mutator: Some(json_mutator::mutate_server),
        crossover: Some(json_mutator::crossover),
    },
    Target {
        name: "server_event_ref_agrees",
        family: Some(Family::Server),
        body: Body::Bytes(server_event_ref_agrees),
        mutator: None,
        crossover: None,
    },
    #[cfg(feature = "schema")]
    Target {
        name: "validator_schema_agrees",
        family: None,
        body: Body::Bytes(validator_schema_agrees),
        // Frames the checker passes are rare under byte mutation; the
        // mutator follows each frame's own family.
        mutator: Some(json_mutator::mutate_by_type),
        crossover: Some(json_mutator::crossover),
    },
];

/// The shim of a target with a JSON-aware mutator: `body` on the raw bytes,
/// `mutate` as libFuzzer's custom mutator (libFuzzer's own byte mutation
/// where it declines) and [`json_mutator::crossover`]. It expands in the
/// fuzz crate, which depends on `libfuzzer-sys`; the same pairing is the
/// target's entry in [`TARGETS`].
/// With `init: EXPR` first, EXPR runs once before the first input.
#[macro_export]
macro_rules! json_aware_fuzz_target {
    ($body:path, $mutate:path) => {
        $crate::json_aware_fuzz_target!(init: (), $body, $mutate);
    };
    (init: $init:expr, $body:path, $mutate:path) => {
        ::libfuzzer_sys::fuzz_target!(init: $init, |data: &[u8]| $body(data));
        ::libfuzzer_sys::fuzz_mutator!(|data: &mut [u8], size: usize, max: usize, seed: u32| {
            $mutate(data, size, max, seed)
                .unwrap_or_else(|| ::libfuzzer_sys::fuzzer_mutate(data, size, max))
        });
        ::libfuzzer_sys::fuzz_crossover!(|a: &[u8], b: &[u8], out: &mut [u8], seed: u32| {
            $crate::fuzzing::json_mutator::crossover(a, b, out, seed).unwrap_or(0)
        });
    };
}

/// The registered target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

impl Target {
    /// Runs the body on one fuzzer input, exactly as the shim does.
    pub fn run(&self, data: &[u8]) {
        match self.body {
            Body::Bytes(body) => body(data),
            // Same construction as `fuzz_target!` with a typed input; an
            // input too short for an event is not a test case.
            Body::ClientEvent(body) => {
                if let Ok(event) = ClientEvent::arbitrary_take_rest(Unstructured::new(data)) {
                    body(&event);
                }
            }
            Body::ServerEvent(body) => {
                if let Ok(event) = ServerEvent::arbitrary_take_rest(Unstructured::new(data)) {
                    body(&event);
                }
            }
        }
    }
}
