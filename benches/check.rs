//! `realtime-harness check` over captures on disk, as the command runs it
//! (`cli::check::run`: the reader thread, batches judged on `--jobs`
//! threads, the human report written to a sink):
//!
//! - `check_append_64KiB`: `input_audio_buffer.append` frames of 64 KiB of
//!   audio (the fast scanner's frames), MiB/s of capture;
//! - `check_mixed_small`: small frames of every client and server type, as
//!   `gen --direction both` makes them, frames/s;
//!
//! each on 1 and on 2 threads. Then the peak resident memory of checking
//! append captures of three lengths, each in a fresh process (this binary
//! re-run with `--peak <capture>`), which must not grow with the length.
//! Figures go to stdout and `target/bench-report/check.json`.
//!
//! ```text
//! cargo bench --bench check
//! ```

mod common;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{append_frame, audio_bytes, base64, resident, TypeAt};
use criterion::{Criterion, Throughput};
use realtime_harness::cli::check::{self, CheckOptions};
use realtime_harness::cli::gen::{GenDirection, Generator};
use realtime_harness::cli::{Format, Status, DEFAULT_MAX_FRAME_BYTES};
use serde_json::Value;

/// Frames in the throughput captures.
const APPEND_FRAMES: usize = 256;
const MIXED_FRAMES: usize = 20_000;
/// Lengths, in 64 KiB append frames, of the captures whose memory is measured.
const MEMORY_FRAMES: [usize; 3] = [128, 512, 2048];
const THREADS: [usize; 2] = [1, 2];

fn options(path: &Path, format: Format, jobs: usize) -> CheckOptions {
    CheckOptions {
        paths: vec![path.to_owned()],
        format,
        max_frame_bytes: DEFAULT_MAX_FRAME_BYTES,
        quiet: false,
        verbose: false,
        direction: None,
        max_findings: check::DEFAULT_MAX_FINDINGS,
        jobs: Some(jobs),
        stream: false,
    }
}

/// Checks `path` on `jobs` threads, writing the human report to a sink.
fn check_to_sink(path: &Path, jobs: usize) -> Status {
    check::run(&options(path, Format::Human, jobs), &mut io::sink()).expect("check runs")
}

/// The JSON report's summary of checking `path`: how the benchmark knows the
/// capture was read whole and judged right before timing it.
fn summary(path: &Path) -> Value {
    let mut out = Vec::new();
    let status = check::run(&options(path, Format::Json, 2), &mut out).expect("check runs");
    assert_eq!(status, Status::Success, "{}", path.display());
    let report: Value = serde_json::from_slice(&out).expect("one JSON document");
    report["summary"]["total"].clone()
}

fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report/check");
    std::fs::create_dir_all(&dir).expect("create target/bench-report/check");
    dir
}

/// A capture of `frames` append frames of 64 KiB of audio each.
fn append_capture(frames: usize) -> PathBuf {
    let frame = append_frame(&base64(&audio_bytes(64 << 10)), TypeAt::First);
    let mut capture = Vec::with_capacity((frame.len() + 1) * frames);
    for _ in 0..frames {
        capture.extend_from_slice(&frame);
        capture.push(b'\n');
    }
    let path = scratch().join(format!("append-64KiB-{frames}.jsonl"));
    std::fs::write(&path, capture).expect("write the capture");
    path
}

/// A capture of `frames` small frames of both directions, from a fixed seed.
fn mixed_capture(frames: usize) -> PathBuf {
    let mut generator = Generator::new(1, Vec::new(), None).direction(GenDirection::Both);
    let mut capture = Vec::new();
    for _ in 0..frames {
        capture.extend(generator.next_frame().expect("a valid frame"));
        capture.push(b'\n');
    }
    let path = scratch().join(format!("mixed-small-{frames}.jsonl"));
    std::fs::write(&path, capture).expect("write the capture");
    path
}

fn throughput(c: &mut Criterion) -> Value {
    let append = append_capture(APPEND_FRAMES);
    let mixed = mixed_capture(MIXED_FRAMES);
    let append_bytes = std::fs::metadata(&append).unwrap().len();
    let mixed_bytes = std::fs::metadata(&mixed).unwrap().len();
    for (path, frames) in [(&append, APPEND_FRAMES), (&mixed, MIXED_FRAMES)] {
        let total = summary(path);
        assert_eq!(total["frames"], frames as u64, "{}", path.display());
        assert_eq!(total["failing"], 0, "{}", path.display());
    }
    let cases = [
        (
            "check_append_64KiB",
            &append,
            Throughput::Bytes(append_bytes),
        ),
        (
            "check_mixed_small",
            &mixed,
            Throughput::Elements(MIXED_FRAMES as u64),
        ),
    ];
    for (name, path, rate) in cases {
        let mut group = c.benchmark_group(name);
        group.throughput(rate);
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(8));
        for jobs in THREADS {
            group.bench_function(format!("jobs_{jobs}"), |b| {
                b.iter(|| assert_eq!(check_to_sink(path, jobs), Status::Success))
            });
        }
        group.finish();
    }
    serde_json::json!({
        "append": {"frames": APPEND_FRAMES, "bytes": append_bytes},
        "mixed": {"frames": MIXED_FRAMES, "bytes": mixed_bytes},
    })
}

/// Peak resident memory of checking each capture of [`MEMORY_FRAMES`] on
/// every core, each in a fresh process.
fn memory() -> Vec<Value> {
    let mut rows = Vec::new();
    for frames in MEMORY_FRAMES {
        let path = append_capture(frames);
        let bytes = std::fs::metadata(&path).unwrap().len();
        let (before, peak) = common::peak_in_child(&[Path::new("--peak"), &path]);
        let added = peak.saturating_sub(before);
        println!(
            "check of {frames:>5} append frames ({:>6.1} MiB): peak resident {:>6.1} MiB, \
             {:>6.1} MiB over the {:>5.1} MiB before",
            bytes as f64 / 1048576.0,
            peak as f64 / 1048576.0,
            added as f64 / 1048576.0,
            before as f64 / 1048576.0,
        );
        rows.push(serde_json::json!({
            "frames": frames, "capture_bytes": bytes,
            "resident_before": before, "peak": peak, "added": added,
        }));
        let _ = std::fs::remove_file(&path);
    }
    rows
}

/// The `--peak <capture>` process: checks the capture on every core and
/// prints the resident set before and its peak during the run.
fn peak(path: &Path) {
    let options = CheckOptions {
        jobs: None,
        ..options(path, Format::Human, 0)
    };
    common::reset_peak();
    let (before, _) = resident();
    let status = check::run(&options, &mut io::sink()).expect("check runs");
    let (_, peak) = resident();
    assert_eq!(status, Status::Success);
    println!("{before} {peak}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak") {
        peak(Path::new(args.get(i + 1).expect("--peak <capture>")));
        return;
    }
    let mut c = Criterion::default()
        .nresamples(20_000)
        .configure_from_args();
    let captures = throughput(&mut c);
    c.final_summary();
    let rows = memory();
    let report = serde_json::json!({
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "captures": captures,
        "memory": rows,
    });
    std::fs::write(scratch().join("../check.json"), report.to_string())
        .expect("write target/bench-report/check.json");
}
