//! The proptest configuration of the test files that run their own
//! properties (the suite in `proptests/` has its own `suite_config!`):
//! a fixed seed unless `PROPTEST_RNG_SEED` names another, 2048 cases unless
//! `PROPTEST_CASES` says otherwise, failures kept in the file's own
//! regressions file.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// [`config_with`] `$seed` and `proptest-regressions/<$file>.txt`.
macro_rules! file_config {
    ($seed:expr, $file:literal) => {
        $crate::proptest_support::config_with(
            $seed,
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/proptest-regressions/",
                $file,
                ".txt"
            ),
        )
    };
}

/// The configuration with its own `seed` and `regressions` file (an
/// absolute path).
pub fn config_with(seed: u64, regressions: &'static str) -> Config {
    let mut config = Config::default();
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    if std::env::var_os("PROPTEST_CASES").is_none() {
        // Each case is cheap; the edges are many.
        config.cases = 2048;
    }
    if config.failure_persistence.is_some() {
        config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(regressions)));
    }
    config
}
