//! The bridge from `arbitrary` to proptest: a [`Strategy`] for any type with
//! an `Arbitrary` impl, so that the properties draw exactly the values the
//! fuzz targets draw.
//!
//! A case is an entropy buffer drawn from proptest's RNG (so a run is as
//! deterministic as proptest's seed) and sized from `T::size_hint`; the value
//! is `T::arbitrary_take_rest` of that buffer, as cargo-fuzz does it. When
//! `arbitrary` runs out of data the buffer is drawn again, twice as large;
//! when it refuses the bytes, again at random (a local reject). Shrinking
//! shrinks the buffer (shorter, smaller bytes) and keeps the shrunk buffers
//! `arbitrary` accepts.

use std::any::type_name;
use std::fmt::Debug;
use std::marker::PhantomData;

use arbitrary::{Arbitrary, Unstructured};
use proptest::collection::{vec, VecStrategy, VecValueTree};
use proptest::num::u8 as byte;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// The smallest buffer drawn: below it most model types are all defaults.
const MIN_ENTROPY: usize = 16;
/// The largest buffer drawn for a type whose size hint has no upper bound.
const DEFAULT_MAX_ENTROPY: usize = 4096;
/// No buffer is larger, whatever the size hint says.
const MAX_ENTROPY: usize = 64 * 1024;
/// Buffers drawn for one case before giving up.
const ATTEMPTS: usize = 16;

/// Values of `T` from its `Arbitrary` impl.
pub fn arbitrary<T>() -> ArbitraryStrategy<T>
where
    T: for<'a> Arbitrary<'a> + Clone + Debug,
{
    let (lower, upper) = T::size_hint(0);
    let min_len = lower.clamp(1, MAX_ENTROPY);
    let max_len = match upper {
        Some(upper) => upper.clamp(min_len, MAX_ENTROPY),
        None => lower
            .max(DEFAULT_MAX_ENTROPY)
            .clamp(MIN_ENTROPY.max(min_len), MAX_ENTROPY),
    };
    ArbitraryStrategy {
        min_len,
        max_len,
        value: PhantomData,
    }
}

/// See [`arbitrary`].
#[derive(Debug)]
pub struct ArbitraryStrategy<T> {
    min_len: usize,
    max_len: usize,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for ArbitraryStrategy<T> {
    fn clone(&self) -> Self {
        ArbitraryStrategy {
            min_len: self.min_len,
            max_len: self.max_len,
            value: PhantomData,
        }
    }
}

fn build<T: for<'a> Arbitrary<'a>>(bytes: &[u8]) -> arbitrary::Result<T> {
    T::arbitrary_take_rest(Unstructured::new(bytes))
}

impl<T> Strategy for ArbitraryStrategy<T>
where
    T: for<'a> Arbitrary<'a> + Clone + Debug,
{
    type Tree = ArbitraryTree<T>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let (mut min_len, mut max_len) = (self.min_len, self.max_len);
        for _ in 0..ATTEMPTS {
            let bytes = entropy(min_len, max_len).new_tree(runner)?;
            match build::<T>(&bytes.current()) {
                Ok(value) => return Ok(ArbitraryTree { bytes, value }),
                Err(arbitrary::Error::NotEnoughData) => {
                    // Out of data: retry with a larger buffer, not a failure.
                    min_len = (bytes.current().len().max(1) * 2).min(MAX_ENTROPY);
                    max_len = max_len.max(min_len);
                }
                Err(err) => {
                    runner.reject_local(format!("arbitrary refused the bytes: {err}"))?;
                }
            }
        }
        Err(format!(
            "no {} from {ATTEMPTS} entropy buffers of up to {max_len} bytes",
            type_name::<T>()
        )
        .into())
    }
}

fn entropy(min_len: usize, max_len: usize) -> VecStrategy<byte::Any> {
    vec(byte::ANY, min_len..=max_len)
}

/// The value tree of [`ArbitraryStrategy`]: a shrinking byte buffer and the
/// value `arbitrary` made of its current state.
pub struct ArbitraryTree<T> {
    bytes: VecValueTree<byte::BinarySearch>,
    value: T,
}

impl<T> ArbitraryTree<T>
where
    T: for<'a> Arbitrary<'a>,
{
    /// Rebuilds the value after the buffer moved. A buffer `arbitrary`
    /// refuses counts as "the test passed": the buffer steps back toward the
    /// last one accepted, as proptest's own filters do.
    fn settle(&mut self) -> bool {
        loop {
            if let Ok(value) = build::<T>(&self.bytes.current()) {
                self.value = value;
                return true;
            }
            if !self.bytes.complicate() {
                return false;
            }
        }
    }
}

impl<T> ValueTree for ArbitraryTree<T>
where
    T: for<'a> Arbitrary<'a> + Clone + Debug,
{
    type Value = T;

    fn current(&self) -> T {
        self.value.clone()
    }

    fn simplify(&mut self) -> bool {
        self.bytes.simplify() && self.settle()
    }

    fn complicate(&mut self) -> bool {
        self.bytes.complicate() && self.settle()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    use realtime_harness::ClientEvent;

    fn runner(seed: u64) -> TestRunner {
        TestRunner::new(Config {
            rng_seed: RngSeed::Fixed(seed),
            ..Config::default()
        })
    }

    #[test]
    fn same_seed_same_values() {
        let strategy = arbitrary::<ClientEvent>();
        let draw = |seed| {
            let mut runner = runner(seed);
            (0..32)
                .map(|_| strategy.new_tree(&mut runner).unwrap().current())
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn every_event_type_is_drawn() {
        let strategy = arbitrary::<ClientEvent>();
        let mut runner = runner(3);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            seen.insert(
                strategy
                    .new_tree(&mut runner)
                    .unwrap()
                    .current()
                    .event_type()
                    .to_owned(),
            );
        }
        assert_eq!(seen.len(), 11, "{seen:?}");
    }

    #[test]
    fn buffers_follow_the_size_hint() {
        // A fixed-size type gets exactly its size; an unbounded one a range.
        let fixed = arbitrary::<u32>();
        assert_eq!((fixed.min_len, fixed.max_len), (4, 4));
        let open = arbitrary::<ClientEvent>();
        assert!(
            open.min_len >= 1 && open.max_len >= DEFAULT_MAX_ENTROPY,
            "{open:?}"
        );
    }

    #[test]
    fn running_out_of_data_retries_with_more() {
        /// Needs 64 bytes exactly, and says so only when it runs out.
        #[derive(Clone, Debug)]
        struct Hungry;
        impl<'a> Arbitrary<'a> for Hungry {
            fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
                u.bytes(64).map(|_| Hungry)
            }
            fn size_hint(_: usize) -> (usize, Option<usize>) {
                (1, Some(2))
            }
        }
        let mut runner = runner(4);
        assert!(arbitrary::<Hungry>().new_tree(&mut runner).is_ok());
    }
}
