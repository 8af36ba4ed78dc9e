//! The verdicts on a batch of frames read ahead ([`super::read_ahead`]):
//! judged on `check`'s thread pool, each batch while the one before it is
//! recorded, or at once on the calling thread with `--jobs 1`.

use std::sync::mpsc::{self, Receiver};

use rayon::prelude::*;

use super::read_ahead::{Batch, Entry};
use super::stateful::CaptureCheck;
use crate::check::verdict::Verdict;
use crate::events::Family;

/// A batch and the verdict on each of its frames, in order (`None` for its
/// other entries).
pub(super) type Judged = (Batch, Vec<Option<Verdict>>);

/// Judges `batch` on `pool`'s threads when there is one (the receiver gets
/// the verdicts when they are ready), else at once on this thread, keeping
/// `keep` findings of each severity per frame.
pub(super) fn judge_batch(
    pool: Option<&rayon::ThreadPool>,
    batch: Batch,
    max_frame_bytes: usize,
    direction: Option<Family>,
    keep: usize,
    in_capture: &mut Option<bool>,
) -> Receiver<Judged> {
    // A capture's lines are judged in order by `Run::entry` (each depends
    // on the conversation so far), so they are left out here rather than
    // judged twice. `in_capture` carries over batches: `None` until a
    // source's first frame says whether the source is a capture.
    let plain: Vec<bool> = batch
        .entries
        .iter()
        .map(|entry| match entry {
            Entry::Source(_) => {
                *in_capture = None;
                false
            }
            Entry::Frame(held) => !*in_capture
                .get_or_insert_with(|| CaptureCheck::detect(&batch.frame(held)).is_some()),
            _ => false,
        })
        .collect();
    let parallel = pool.is_some();
    let (done, judged) = mpsc::sync_channel(1);
    let work = move || {
        let judge = |(entry, plain): (&Entry, &bool)| match entry {
            Entry::Frame(held) if *plain => {
                Some(batch.frame(held).verdict(max_frame_bytes, direction, keep))
            }
            _ => None,
        };
        // Inside the pool, `par_iter` shares the frames among its threads;
        // outside it, it would use rayon's global pool: one thread iterates.
        let verdicts = if parallel {
            batch.entries.par_iter().zip(&plain).map(judge).collect()
        } else {
            batch.entries.iter().zip(&plain).map(judge).collect()
        };
        // The receiver is gone only when the run stopped early.
        let _ = done.send((batch, verdicts));
    };
    match pool {
        Some(pool) => pool.spawn(work),
        None => work(),
    }
    judged
}
