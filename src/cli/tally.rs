//! The counting and summary lines of `check`'s human report: a tally per
//! event type and direction, the findings beyond `--max-findings`, and the
//! table by event type.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::check::verdict::Verdict;
use crate::check::{Finding, Report};
use crate::events::Family;

/// Counts per event type.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub(super) struct Tally {
    pub(super) frames: u64,
    pub(super) conforming: u64,
    /// Frames with at least one warning, whether they conform or not (a failing frame's
    /// warnings are worth fixing too, and are printed with its errors).
    pub(super) with_warnings: u64,
    pub(super) failing: u64,
}

impl Tally {
    pub(super) fn add(&mut self, verdict: &Verdict) {
        self.frames += 1;
        if verdict.outcome.conforms() {
            self.conforming += 1;
        } else {
            self.failing += 1;
        }
        if verdict.report.warning_count() > 0 {
            self.with_warnings += 1;
        }
    }
}

/// The findings of a frame beyond `--max-findings`, counted.
#[derive(Clone, Copy, Debug, Serialize)]
pub(super) struct NotShown {
    pub(super) count: usize,
    pub(super) errors: usize,
    pub(super) warnings: usize,
}

impl NotShown {
    /// The findings of `report` beyond the `shown` ones, from the report's
    /// exact counts (it keeps only the first findings; see [`Report`]);
    /// warnings count only when `warnings` (not `--quiet`). `None` when
    /// every one was shown.
    pub(super) fn of<'a>(
        report: &Report,
        shown: impl Iterator<Item = &'a Finding>,
        warnings: bool,
    ) -> Option<NotShown> {
        let (mut shown_errors, mut shown_warnings) = (0, 0);
        for finding in shown {
            if finding.is_error() {
                shown_errors += 1;
            } else {
                shown_warnings += 1;
            }
        }
        let errors = report.error_count() - shown_errors;
        let warnings = if warnings {
            report.warning_count() - shown_warnings
        } else {
            0
        };
        let count = errors + warnings;
        (count > 0).then_some(NotShown {
            count,
            errors,
            warnings,
        })
    }
}

pub(super) fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `1 error`, `3 errors`.
pub(super) fn count_of(n: usize, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// The table by event type: frames, how many conform, how many carry a warning (conforming
/// or not), how many fail; then a row per direction (`client`, `server`) and the total.
pub(super) fn summary_table(
    out: &mut dyn Write,
    after_frames: bool,
    by_type: &BTreeMap<String, Tally>,
    by_direction: &BTreeMap<Family, Tally>,
    total: &Tally,
) -> io::Result<()> {
    let width = by_type
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max("event type".len());
    if after_frames {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{:<width$}  {:>8}  {:>8}  {:>8}  {:>8}",
        "event type", "frames", "conform", "warned", "fail"
    )?;
    let row = |out: &mut dyn Write, name: &str, t: &Tally| {
        writeln!(
            out,
            "{name:<width$}  {:>8}  {:>8}  {:>8}  {:>8}",
            t.frames, t.conforming, t.with_warnings, t.failing
        )
    };
    for (name, tally) in by_type {
        row(out, name, tally)?;
    }
    for (family, tally) in by_direction {
        row(out, family.as_str(), tally)?;
    }
    row(out, "total", total)?;
    writeln!(out)
}
