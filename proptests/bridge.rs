//! The bridge from `arbitrary` to proptest: a [`Strategy`] for any type with
//! an `Arbitrary` impl, so that the properties draw exactly the values the
//! fuzz targets draw.
//!
//! A case is an entropy buffer drawn from proptest's RNG (so a run is as
//! deterministic as proptest's seed) and sized from `T::size_hint`; the value
//! is `T::arbitrary_take_rest` of that buffer, as cargo-fuzz does it. When
//! `arbitrary` runs out of data the buffer is drawn again, twice as large;
//! when it refuses the bytes, again at random (a local reject). Shrinking
//! shortens the buffer (binary search on its length), then zeroes chunks of
//! it, keeping the buffers `arbitrary` accepts and the test still fails on.

use std::any::type_name;
use std::fmt::Debug;
use std::marker::PhantomData;

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::Rng;
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
            let len = (min_len..=max_len).new_tree(runner)?.current();
            let mut bytes = vec![0; len];
            runner.rng().fill_bytes(&mut bytes);
            match build::<T>(&bytes) {
                Ok(value) => return Ok(ArbitraryTree::new(bytes, self.min_len, value)),
                Err(arbitrary::Error::NotEnoughData) => {
                    // Out of data: retry with a larger buffer, not a failure.
                    min_len = (len.max(1) * 2).min(MAX_ENTROPY);
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

/// Where shrinking is in its search.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Binary search for the shortest failing prefix: lengths below `lo`
    /// passed (or were refused).
    Length { lo: usize },
    /// Zeroing chunks of `size` bytes from `start`, halving `size` after
    /// each sweep: zero bytes make `arbitrary` pick first variants, empty
    /// collections and small numbers.
    Zero { size: usize, start: usize },
    /// Nothing left to try.
    Done,
}

/// The value tree of [`ArbitraryStrategy`]: the entropy buffer, shrunk by
/// shortening it and zeroing chunks of it, and the value `arbitrary` makes
/// of it.
pub struct ArbitraryTree<T> {
    /// The simplest buffer known to fail (the drawn one at first).
    failing: Vec<u8>,
    failing_value: T,
    /// The buffer under test, and its value.
    candidate: Option<(Vec<u8>, T)>,
    phase: Phase,
}

impl<T> ArbitraryTree<T>
where
    T: for<'a> Arbitrary<'a> + Clone,
{
    fn new(bytes: Vec<u8>, min_len: usize, value: T) -> Self {
        ArbitraryTree {
            failing: bytes,
            failing_value: value,
            candidate: None,
            phase: Phase::Length { lo: min_len },
        }
    }

    /// The next simpler buffer to test, if any. A buffer `arbitrary`
    /// refuses counts as passing.
    fn next_candidate(&mut self) -> bool {
        loop {
            let bytes = match self.phase {
                Phase::Length { lo } => {
                    let hi = self.failing.len();
                    if lo >= hi {
                        self.phase = Phase::Zero {
                            size: hi.div_ceil(2).max(1),
                            start: 0,
                        };
                        continue;
                    }
                    self.failing[..lo + (hi - lo) / 2].to_vec()
                }
                Phase::Zero { size, start } => {
                    let len = self.failing.len();
                    if start >= len {
                        self.phase = if size > 1 {
                            Phase::Zero {
                                size: size / 2,
                                start: 0,
                            }
                        } else {
                            Phase::Done
                        };
                        continue;
                    }
                    let end = (start + size).min(len);
                    if self.failing[start..end].iter().all(|b| *b == 0) {
                        self.phase = Phase::Zero { size, start: end };
                        continue;
                    }
                    let mut bytes = self.failing.clone();
                    bytes[start..end].fill(0);
                    bytes
                }
                Phase::Done => return false,
            };
            match build::<T>(&bytes) {
                Ok(value) => {
                    self.candidate = Some((bytes, value));
                    return true;
                }
                Err(_) => self.passed(bytes.len()),
            }
        }
    }

    /// The candidate (of `len` bytes) did not fail: search past it.
    fn passed(&mut self, len: usize) {
        self.phase = match self.phase {
            Phase::Length { .. } => Phase::Length { lo: len + 1 },
            Phase::Zero { size, start } => Phase::Zero {
                size,
                start: start + size,
            },
            Phase::Done => Phase::Done,
        };
    }
}

impl<T> ValueTree for ArbitraryTree<T>
where
    T: for<'a> Arbitrary<'a> + Clone + Debug,
{
    type Value = T;

    fn current(&self) -> T {
        match &self.candidate {
            Some((_, value)) => value.clone(),
            None => self.failing_value.clone(),
        }
    }

    fn simplify(&mut self) -> bool {
        // The candidate, if any, failed: it is the new simplest failure.
        if let Some((bytes, value)) = self.candidate.take() {
            self.failing = bytes;
            self.failing_value = value;
            if let Phase::Zero { size, start } = self.phase {
                self.phase = Phase::Zero {
                    size,
                    start: start + size,
                };
            }
        }
        self.next_candidate()
    }

    fn complicate(&mut self) -> bool {
        let Some((bytes, _)) = self.candidate.take() else {
            return false;
        };
        self.passed(bytes.len());
        // Back to the simplest failure unless there is more to try.
        self.next_candidate()
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
            failure_persistence: None,
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
    fn shrinking_finds_a_small_failing_value() {
        // Fails for any vector holding a byte of 100 or more; the simplest
        // such vectors hold one byte.
        let mut runner = runner(5);
        let result = runner.run(&arbitrary::<Vec<u8>>(), |v| {
            proptest::prop_assert!(v.iter().all(|b| *b < 100));
            Ok(())
        });
        match result {
            Err(proptest::test_runner::TestError::Fail(_, minimal)) => {
                assert_eq!(minimal.len(), 1, "{minimal:?}");
            }
            other => panic!("expected a failure, got {other:?}"),
        }
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
