//! `check` on a two-direction capture ([`crate::capture`]: `proxy
//! --record`'s, or any JSON Lines with a `direction` per line): each line's
//! frame judged in its direction's family, and each connection's frames
//! fed in order to a [`Tracker`] for the rules only the conversation's
//! state shows.

use std::collections::BTreeMap;

use super::input::Frame;
use crate::capture;
use crate::check::verdict::{Outcome, Verdict};
use crate::events::Family;
use crate::protocol::track::{StateFinding, Tracker};

/// The trackers of one capture, by connection.
#[derive(Debug, Default)]
pub(super) struct CaptureCheck {
    trackers: BTreeMap<u64, Tracker>,
}

impl CaptureCheck {
    /// A capture check when `first` (a source's first frame) is a capture line.
    pub(super) fn detect(first: &Frame<'_>) -> Option<CaptureCheck> {
        match first {
            Frame::Bytes(bytes) if capture::is_capture_line(bytes) => Some(CaptureCheck::default()),
            _ => None,
        }
    }

    /// The verdict on line `line`'s frame (none for a close message) and
    /// the stateful findings it brings.
    pub(super) fn line(
        &mut self,
        line: u64,
        frame: &Frame<'_>,
        max: usize,
    ) -> (Option<Verdict>, Vec<StateFinding>) {
        let Frame::Bytes(bytes) = frame else {
            // Not a frame that was read: no finding to keep.
            let verdict = frame.verdict(max, None, crate::check::DEFAULT_FINDINGS_KEPT);
            return (Some(verdict), Vec::new());
        };
        match capture::from_slice(bytes) {
            Ok(entry) => {
                let tracker = self.trackers.entry(entry.connection).or_default();
                let observation = tracker.observe(line, entry.direction, &entry.payload);
                (observation.verdict, observation.state)
            }
            Err(err) => (
                Some(Verdict::unread(
                    Family::Client,
                    Outcome::ParseError,
                    format!("not a capture line: {err}"),
                )),
                Vec::new(),
            ),
        }
    }

    /// The findings only the end shows (responses never done), in line order.
    pub(super) fn finish(mut self) -> Vec<StateFinding> {
        let mut found = Vec::new();
        for tracker in self.trackers.values_mut() {
            tracker.finish(&mut found);
        }
        found.sort_by_key(|f| f.at);
        found
    }
}
