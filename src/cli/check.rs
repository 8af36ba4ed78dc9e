//! `realtime-harness check`: judges every frame of the given inputs and
//! prints what is wrong with each, then a summary by event type.
//!
//! A reader thread ([`super::read_ahead`]) reads the frames in batches; the
//! frames of a batch are judged in parallel (`--jobs`), then recorded in
//! the order they were read, so the output is the same for any number of
//! threads. A stop flag (set on SIGINT or SIGTERM) is polled between
//! batches: the batch at hand is finished, reading stops, and the output is
//! closed properly, with the summary so far and a note that the run was
//! interrupted.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use clap::builder::TypedValueParser;
use serde_json::{json, Value};

use super::input::InputError;
use super::judging::{judge_batch, Judged};
use super::progress::Progress;
use super::read_ahead::{self, Batch, Entry, ReadOptions};
use super::stateful::CaptureCheck;
use super::tally::{count_of, plural, summary_table, NotShown, Tally};
use super::{Format, Status};
// `Outcome` keeps its path from when the verdict lived here.
pub use crate::check::verdict::Outcome;
use crate::check::verdict::{Verdict, NO_TYPE};
use crate::check::{Finding, Severity};
use crate::events::Family;
use crate::protocol::track::StateFinding;

/// Where a frame is: source, line, and (for parse errors) column.
#[derive(Clone, Debug)]
struct Location<'a> {
    source: &'a str,
    line: u64,
}

/// Options of `check`, parsed from its command line as they are (the
/// `check` subcommand flattens them beside `--list-rules`): each member's doc
/// comment is the flag's help.
#[derive(Debug, clap::Args)]
pub struct CheckOptions {
    /// Files, directories, or `-` for stdin (the default when stdin is not a terminal).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Reject frames (and lines) larger than this many bytes without parsing them.
    #[arg(long, value_name = "BYTES", default_value_t = super::DEFAULT_MAX_FRAME_BYTES)]
    pub max_frame_bytes: usize,
    /// Show errors only, not warnings.
    #[arg(short, long)]
    pub quiet: bool,
    /// Also list frames that conform.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Judge every frame as a client or a server event [default: each frame's `type` tells:
    /// the two GA sets are disjoint; beta-era server names are server, anything else client].
    #[arg(
        long,
        value_name = "DIRECTION",
        value_parser = clap::builder::EnumValueParser::<Direction>::new().map(Family::from)
    )]
    pub direction: Option<Family>,
    /// Show at most N findings per frame, then one line counting the rest (0: all).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FINDINGS)]
    pub max_findings: usize,
    /// Judge frames on N threads [default: one per core]; the output is the same for any N.
    #[arg(
        long,
        short = 'j',
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..).map(usize::from)
    )]
    pub jobs: Option<usize>,
    /// Read FIFOs, sockets and devices named on the command line one frame per line, as
    /// stdin, instead of refusing them (never ones met in a directory walk).
    #[arg(long)]
    pub stream: bool,
}

/// Which side's frames `check` judges, as `--direction` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Direction {
    /// Client events (`RealtimeClientEvent`).
    Client,
    /// Server events (`RealtimeServerEvent`).
    Server,
}

impl From<Direction> for Family {
    fn from(direction: Direction) -> Family {
        match direction {
            Direction::Client => Family::Client,
            Direction::Server => Family::Server,
        }
    }
}

/// The default `--max-findings`.
pub const DEFAULT_MAX_FINDINGS: usize = 100;

/// How often an idle run looks at its stop flag.
const POLL: Duration = Duration::from_millis(50);

/// The running state: output, tallies, progress.
struct Run<'w> {
    out: &'w mut dyn Write,
    options: &'w CheckOptions,
    by_type: BTreeMap<String, Tally>,
    by_outcome: BTreeMap<Outcome, u64>,
    /// Both families, always: a run that saw no server frame says so.
    by_direction: BTreeMap<Family, Tally>,
    total: Tally,
    input_errors: Vec<InputError>,
    /// Directories met again in a walk and not walked again.
    not_followed: Vec<InputError>,
    /// The inputs read, by name, for saying which ones held no frame.
    sources: Vec<String>,
    progress: Progress,
    bytes: u64,
    skipped: u64,
    first_record: bool,
    /// Whether any per-frame line was printed (human format).
    printed: bool,
    /// Stateful findings of two-direction captures, with their source.
    stateful: Vec<(String, StateFinding)>,
    /// Stopped by a signal before the inputs were read to their end.
    interrupted: bool,
    /// The capture being read, when the source at hand is one.
    capture: Option<CaptureCheck>,
    /// Whether the next frame is its source's first.
    first_of_source: bool,
}

/// Runs `check` to the end of its inputs; returns the exit status.
pub fn run(options: &CheckOptions, out: &mut dyn Write) -> io::Result<Status> {
    run_until(options, out, Arc::new(AtomicBool::new(false)))
}

/// Runs `check` until the end of its inputs or until `stop` is set (the
/// status is then [`Status::Interrupted`]; the output is complete).
pub fn run_until(
    options: &CheckOptions,
    out: &mut dyn Write,
    stop: Arc<AtomicBool>,
) -> io::Result<Status> {
    let mut run = Run {
        out,
        options,
        by_type: BTreeMap::new(),
        by_outcome: BTreeMap::new(),
        by_direction: Family::ALL.map(|f| (f, Tally::default())).into(),
        total: Tally::default(),
        input_errors: Vec::new(),
        not_followed: Vec::new(),
        sources: Vec::new(),
        progress: Progress::on_stderr(),
        bytes: 0,
        skipped: 0,
        first_record: true,
        printed: false,
        stateful: Vec::new(),
        capture: None,
        first_of_source: false,
        interrupted: false,
    };
    // One thread judges in place, without a pool to hand frames to.
    let pool = match options.jobs {
        Some(1) => None,
        jobs => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.unwrap_or(0))
                .thread_name(|i| format!("check-{i}"))
                .build()
                .map_err(io::Error::other)?,
        ),
    };
    if options.format == Format::Json {
        write!(run.out, "{{\"frames\":[")?;
    }
    let batches = read_ahead::spawn(
        ReadOptions {
            paths: options.paths.clone(),
            max_frame_bytes: options.max_frame_bytes,
            stream: options.stream,
        },
        Arc::clone(&stop),
    )?;
    let mut in_capture = None;
    // The batch judged while the one before it is recorded: recording is
    // one thread's work, and overlapping it with the judging of the next
    // batch keeps every core busy.
    let mut judging: Option<Receiver<Judged>> = None;
    let mut reading = true;
    while reading || judging.is_some() {
        if reading && stop.load(Ordering::Relaxed) {
            // Reading stops; a batch already being judged is still recorded.
            run.interrupted = true;
            reading = false;
        }
        let next = if reading {
            // With a batch being judged, only a batch already read is taken
            // (a stream may have nothing more for a long while); otherwise
            // the judged one is recorded first.
            let wait = if judging.is_some() {
                Duration::ZERO
            } else {
                POLL
            };
            match batches.recv_timeout(wait) {
                Ok(batch) => Some(batch),
                Err(RecvTimeoutError::Timeout) if judging.is_some() => None,
                Err(RecvTimeoutError::Timeout) => continue,
                // The reader hangs up without a last batch when it was stopped.
                Err(RecvTimeoutError::Disconnected) if stop.load(Ordering::Relaxed) => continue,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::other("the thread reading the inputs failed"))
                }
            }
        } else {
            None
        };
        let recorded = match next {
            Some(batch) => {
                reading = !batch.last;
                judging.replace(judge_batch(
                    pool.as_ref(),
                    batch,
                    options.max_frame_bytes,
                    options.direction,
                    finding_cap(options),
                    &mut in_capture,
                ))
            }
            None => judging.take(),
        };
        if let Some(recorded) = recorded {
            let (batch, verdicts) = recorded
                .recv()
                .map_err(|_| io::Error::other("a thread judging frames failed"))?;
            for (entry, verdict) in batch.entries.iter().zip(verdicts) {
                run.entry(&batch, entry, verdict)?;
            }
        }
    }
    run.end_capture()?;
    run.progress.finish();
    run.finish()
}

impl Run<'_> {
    fn input_error(&mut self, err: InputError) {
        let _ = writeln!(io::stderr(), "realtime-harness: error: {err}");
        self.input_errors.push(err);
    }

    /// Records what the reader met, in its order; `verdict` is a frame's.
    /// A capture's lines (which the batch leaves unjudged) are judged here,
    /// in order, since each depends on the conversation so far.
    fn entry(&mut self, batch: &Batch, entry: &Entry, verdict: Option<Verdict>) -> io::Result<()> {
        match (entry, verdict) {
            (Entry::Frame(held), verdict) => {
                self.bytes += held.input_bytes;
                let at = Location {
                    source: &held.source,
                    line: held.line,
                };
                let frame = batch.frame(held);
                if std::mem::take(&mut self.first_of_source) {
                    self.capture = CaptureCheck::detect(&frame);
                }
                if let Some(mut capture) = self.capture.take() {
                    let (verdict, state) =
                        capture.line(held.line, &frame, self.options.max_frame_bytes);
                    self.capture = Some(capture);
                    if let Some(verdict) = verdict {
                        self.record(&at, &verdict)?;
                    }
                    self.state_findings(&held.source, state)?;
                } else {
                    let verdict = verdict.expect("every frame outside a capture is judged");
                    self.record(&at, &verdict)?;
                }
            }
            (Entry::Source(name), _) => {
                self.end_capture()?;
                self.sources.push(name.clone());
                self.first_of_source = true;
            }
            (Entry::InputError(err), _) => self.input_error(err.clone()),
            (Entry::NotFollowed(note), _) => {
                let _ = writeln!(io::stderr(), "realtime-harness: note: {note}");
                self.not_followed.push(note.clone());
            }
            (Entry::Skipped(n), _) => self.skipped += n,
        }
        Ok(())
    }

    /// The findings only a capture's end shows (responses never done).
    fn end_capture(&mut self) -> io::Result<()> {
        match self.capture.take() {
            Some(capture) => {
                let source = self.sources.last().cloned().unwrap_or_default();
                self.state_findings(&source, capture.finish())
            }
            None => Ok(()),
        }
    }

    /// Prints stateful findings (human format) and keeps them for the summary.
    fn state_findings(&mut self, source: &str, found: Vec<StateFinding>) -> io::Result<()> {
        for finding in found {
            if self.options.format == Format::Human
                && !(self.options.quiet && finding.severity != Severity::Error)
            {
                let ty = finding.event_type.as_deref().unwrap_or(NO_TYPE);
                let ty = match finding.direction {
                    Family::Client => ty.to_owned(),
                    Family::Server => format!("server {ty}"),
                };
                writeln!(self.out, "{source}:{}: {ty}: {finding}", finding.at)?;
                self.printed = true;
            }
            self.stateful.push((source.to_owned(), finding));
        }
        Ok(())
    }

    fn record(&mut self, at: &Location, verdict: &Verdict) -> io::Result<()> {
        self.total.add(verdict);
        self.by_direction
            .entry(verdict.family)
            .or_default()
            .add(verdict);
        self.by_type
            .entry(verdict.event_type.clone())
            .or_default()
            .add(verdict);
        *self.by_outcome.entry(verdict.outcome).or_default() += 1;
        self.progress.tick(self.total.frames, self.bytes);
        match self.options.format {
            Format::Human => self.human_record(at, verdict),
            Format::Json => self.json_record(at, verdict),
        }
    }

    fn human_record(&mut self, at: &Location, verdict: &Verdict) -> io::Result<()> {
        // Client frames were all there was before server events: their lines stay as they were.
        let ty = match verdict.family {
            Family::Client => verdict.event_type.clone(),
            Family::Server => format!("server {}", verdict.event_type),
        };
        let before = self.printed;
        self.printed = true;
        if let Some(err) = &verdict.error {
            let (line, column) = match err.position {
                // A `.json` frame starts at line 1, a JSON Lines frame is one line.
                Some((l, c)) => (at.line + l - 1, Some(c)),
                None => (at.line, None),
            };
            let place = match column {
                Some(c) => format!("{}:{line}:{c}", at.source),
                None => format!("{}:{line}", at.source),
            };
            let kind = match verdict.outcome {
                Outcome::Oversized => "oversized frame",
                Outcome::NotUtf8 => "not UTF-8",
                _ => "parse error",
            };
            let path = err
                .path
                .as_deref()
                .map(|p| format!("{p}: "))
                .unwrap_or_default();
            return writeln!(self.out, "{place}: {ty}: {kind}: {path}{}", err.message);
        }
        let shown: Vec<&Finding> = verdict
            .report
            .findings
            .iter()
            .filter(|f| !self.options.quiet || f.severity() == Severity::Error)
            .collect();
        if shown.is_empty() {
            if self.options.verbose {
                writeln!(self.out, "{}:{}: {ty}: ok", at.source, at.line)?;
            } else {
                self.printed = before;
            }
            return Ok(());
        }
        let cap = finding_cap(self.options).min(shown.len());
        for finding in &shown[..cap] {
            writeln!(self.out, "{}:{}: {ty}: {finding}", at.source, at.line)?;
        }
        let rest = NotShown::of(
            &verdict.report,
            shown[..cap].iter().copied(),
            !self.options.quiet,
        );
        if let Some(rest) = rest {
            writeln!(
                self.out,
                "{}:{}: {ty}: {} more {} not shown ({}, {}); --max-findings 0 shows all",
                at.source,
                at.line,
                rest.count,
                plural(rest.count, "finding", "findings"),
                count_of(rest.errors, "error", "errors"),
                count_of(rest.warnings, "warning", "warnings"),
            )?;
        }
        Ok(())
    }

    fn json_record(&mut self, at: &Location, verdict: &Verdict) -> io::Result<()> {
        let mut record = json!({
            "source": at.source,
            "line": at.line,
            "type": verdict.event_type,
            "direction": verdict.family.as_str(),
            "outcome": verdict.outcome,
            "conforms": verdict.outcome.conforms(),
        });
        if let Some(err) = &verdict.error {
            let mut error = json!({ "message": err.message });
            if let Some(path) = &err.path {
                error["path"] = json!(path);
            }
            if let Some((line, column)) = err.position {
                error["line"] = json!(at.line + line - 1);
                error["column"] = json!(column);
            }
            record["error"] = error;
        }
        if !verdict.report.is_empty() {
            let findings = &verdict.report.findings;
            let cap = finding_cap(self.options).min(findings.len());
            record["findings"] =
                serde_json::to_value(&findings[..cap]).map_err(io::Error::other)?;
            if let Some(rest) = NotShown::of(&verdict.report, findings[..cap].iter(), true) {
                record["findings_not_shown"] = json!(rest);
            }
        }
        let sep = if self.first_record { "\n" } else { ",\n" };
        self.first_record = false;
        write!(self.out, "{sep}{record}")
    }

    fn finish(self) -> io::Result<Status> {
        let read_nothing = self.total.frames == 0;
        if read_nothing && self.input_errors.is_empty() && !self.interrupted {
            // Empty stdin, an empty .jsonl file: nothing was checked, which is no pass.
            let (names, why) = match self.sources.as_slice() {
                [one] => (one.clone(), "it is empty or holds only blank lines"),
                many => (many.join(", "), "they are empty or hold only blank lines"),
            };
            let _ = writeln!(
                io::stderr(),
                "realtime-harness: error: no frame read from {names}: {why}"
            );
        }
        let state_errors = self
            .stateful
            .iter()
            .filter(|(_, f)| f.severity == Severity::Error)
            .count();
        let conforms = self.total.failing == 0
            && state_errors == 0
            && self.input_errors.is_empty()
            && !read_nothing;
        let status = if self.interrupted {
            Status::Interrupted
        } else if !self.input_errors.is_empty() || read_nothing {
            Status::Usage
        } else if conforms {
            Status::Success
        } else {
            Status::Nonconformance
        };
        match self.options.format {
            Format::Json => {
                let summary = json!({
                    "skipped_files": self.skipped,
                    "not_followed": self.not_followed.iter().map(|e| json!({
                        "source": e.name, "message": e.message
                    })).collect::<Vec<_>>(),
                    "input_errors": self.input_errors.iter().map(|e| json!({
                        "source": e.name, "message": e.message
                    })).collect::<Vec<_>>(),
                    "summary": {
                        "total": self.total,
                        "by_type": self.by_type,
                        "by_direction": self.by_direction.iter()
                            .map(|(f, t)| (f.as_str(), *t))
                            .collect::<BTreeMap<&str, Tally>>(),
                        "by_outcome": self.by_outcome.iter()
                            .map(|(o, n)| (o.as_str(), *n))
                            .collect::<BTreeMap<&str, u64>>(),
                    },
                    "stateful": self.stateful.iter().map(|(source, f)| json!({
                        "source": source,
                        "line": f.at,
                        "direction": f.direction.as_str(),
                        "type": f.event_type,
                        "rule": f.rule.id(),
                        "severity": f.severity,
                        "pointer": f.pointer,
                        "message": f.message,
                    })).collect::<Vec<_>>(),
                    "conforms": conforms,
                    "interrupted": self.interrupted,
                });
                let Value::Object(tail) = summary else {
                    unreachable!("json! of an object literal")
                };
                let end = if self.first_record { "" } else { "\n" };
                write!(self.out, "{end}]")?;
                for (key, value) in tail {
                    write!(self.out, ",{}:{}", Value::String(key), value)?;
                }
                writeln!(self.out, "}}")?;
            }
            // Each unreadable input has had its line on stderr; with no frame read there is
            // no table to show and no verdict to give.
            Format::Human if read_nothing => {}
            Format::Human => {
                summary_table(
                    self.out,
                    self.printed,
                    &self.by_type,
                    &self.by_direction,
                    &self.total,
                )?;
                let outcomes: Vec<String> = self
                    .by_outcome
                    .iter()
                    .filter(|(o, _)| !o.conforms())
                    .map(|(o, n)| format!("{n} {}", o.as_str()))
                    .collect();
                if !self.stateful.is_empty() {
                    writeln!(
                        self.out,
                        "stateful rules: {state_errors} errors, {} warnings",
                        self.stateful.len() - state_errors
                    )?;
                }
                let verdict = if conforms {
                    "every frame conforms".to_owned()
                } else if self.total.failing == 0 && state_errors > 0 {
                    "every frame conforms, but the conversation breaks stateful rules".to_owned()
                } else if self.total.failing > 0 {
                    let (frames, verb) = match self.total.failing {
                        1 => ("1 frame".to_owned(), "does"),
                        n => (format!("{n} frames"), "do"),
                    };
                    format!("{frames} {verb} not conform ({})", outcomes.join(", "))
                } else {
                    "every frame read conforms".to_owned()
                };
                match self.skipped {
                    0 => {}
                    1 => writeln!(
                        self.out,
                        "(skipped 1 file in directories that is not .json, .jsonl or .ndjson)"
                    )?,
                    n => writeln!(
                        self.out,
                        "(skipped {n} files in directories that are not .json, .jsonl or .ndjson)"
                    )?,
                }
                let inputs = match self.input_errors.len() {
                    0 => String::new(),
                    1 => "; 1 input could not be read".to_owned(),
                    n => format!("; {n} inputs could not be read"),
                };
                if self.interrupted {
                    writeln!(
                        self.out,
                        "(interrupted: reading stopped at a signal; the counts cover the frames read before it)"
                    )?;
                }
                writeln!(self.out, "{verdict}{inputs}")?;
            }
        }
        self.out.flush()?;
        Ok(status)
    }
}

/// How many findings of a frame are shown (`--max-findings`; 0: all), and
/// so how many of each severity the checker keeps: the rest are counted.
fn finding_cap(options: &CheckOptions) -> usize {
    match options.max_findings {
        0 => usize::MAX,
        n => n,
    }
}
