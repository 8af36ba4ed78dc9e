//! The property suite of the model: one test binary, one module per theme.
//!
//! Values come from the model's own `Arbitrary` impls through [`bridge`] (the
//! same generators the fuzz targets use, so the suite and the fuzzers agree on
//! what a valid frame is), plus native proptest strategies where sizes matter:
//! audio payloads up to 1 MiB ([`audio`]) and deep or wide free-form JSON
//! ([`json`]).
//!
//! # Running
//!
//! ```text
//! cargo test --test proptests                       # 256 cases per property
//! PROPTEST_CASES=100000 cargo test --release --test proptests
//! PROPTEST_RNG_SEED=7 cargo test --test proptests   # explore other cases
//! ```
//!
//! Runs are deterministic: the RNG seed is fixed ([`DEFAULT_RNG_SEED`])
//! unless `PROPTEST_RNG_SEED` names another, so a failure reproduces on any
//! machine. Every `PROPTEST_*` variable proptest knows is honoured.
//! Choices that depend on a generated value (which member to drop, how to
//! order an object) come from the crate's `rng::SplitMix64` seeded by a
//! drawn `u64`, so a persisted seed replays them exactly.
//!
//! # Regressions
//!
//! A failing case's seed is appended to `proptest-regressions/<module>.txt` at
//! the repository root (one file per module, see [`suite_config!`]); the files
//! are committed, and every run replays them before drawing new cases. A seed
//! stays in its file after the bug is fixed: it is the regression test. A
//! seed replays the same case only while the generators stay the same, so
//! each bug found also gets a plain test with its minimal frame and root
//! cause in [`regressions`].
//!
//! # Properties
//!
//! 1. [`round_trip`]: `from_slice(to_vec(x)) == x` for every public model type.
//! 2. [`fidelity`]: Value -> model -> Value is the identity; injected `null`s
//!    are dropped or kept exactly as the null rule says.
//! 3. [`tags`]: serialized `type` == `event_type()` == `to_event_type()`.
//! 4. [`constructors`]: each yields exactly its arguments.
//! 5. [`catch_all`]: any other `type` is kept intact.
//! 6. [`key_order`]: member order, tags last included, does not matter.
//! 7. [`robustness`]: edited frames never panic; errors say where; whatever
//!    parses is re-emitted faithfully.
//! 8. [`schema`]: every arbitrary event satisfies the official schema.
//! 9. [`debug`]: `Debug` does not grow with the audio.
//! 10. [`errors`], [`extras`], [`free_form`], [`encoding`], [`conformance`]:
//!     error texts and paths, unknown and nullable members, deep and wide
//!     free-form JSON, whitespace and escapes, and agreement of the
//!     generators with the conformance checker.
//! 11. [`server`]: the server family's round trip, fidelity with injected
//!     nulls, tags, catch-all, member order and robustness under edits.
//! 12. [`state_machine`]: the protocol machine `serve` runs follows a small
//!     reference model over generated client event sequences
//!     (proptest-state-machine), and the stateful checks of captures find
//!     nothing wrong with what it sends.
//!
//! The schema property ([`schema`]) reads the extract of the official
//! OpenAPI document that the crate embeds (or the document
//! `REALTIME_HARNESS_SPEC` names), so it runs everywhere, like every other
//! property (it needs feature `schema`, on by default).

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// The RNG seed used when `PROPTEST_RNG_SEED` is unset: fixed, so that every
/// run of the suite draws the same cases.
pub const DEFAULT_RNG_SEED: u64 = 0x5eed_0f4e_a171_e3ed;

/// The proptest configuration of one module: the `PROPTEST_*` environment
/// (case count 256 by default), a fixed seed unless one is given, and
/// failures persisted in `proptest-regressions/<module>.txt`.
macro_rules! suite_config {
    ($module:literal) => {
        $crate::config(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/",
            $module,
            ".txt"
        ))
    };
}

/// See [`suite_config!`]; `regressions` is an absolute path.
pub fn config(regressions: &'static str) -> Config {
    // `Config::default()` has already read the PROPTEST_* variables.
    let mut config = Config::default();
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(DEFAULT_RNG_SEED);
    }
    // Some properties reject the cases they cannot judge (`prop_assume!`);
    // the reject budget grows with the case count so heavy runs finish.
    config.max_global_rejects = config
        .max_global_rejects
        .max(config.cases.saturating_mul(4));
    // `None` means PROPTEST_DISABLE_FAILURE_PERSISTENCE is set: respect it.
    if config.failure_persistence.is_some() {
        config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(regressions)));
    }
    config
}

mod audio;
mod bridge;
mod json;
mod mutation;
mod shape_walk;

mod catch_all;
mod conformance;
mod constructors;
mod debug;
mod encoding;
mod errors;
mod extras;
mod fidelity;
mod free_form;
mod key_order;
mod regressions;
mod robustness;
mod round_trip;
mod schema;
mod server;
mod state_machine;
mod tags;
