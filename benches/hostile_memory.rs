//! Heap and time of parse plus check (`check::verdict::judge`, what
//! `realtime-harness check` does per frame) on wide and large hostile frames:
//! 100,000 tools, 1,000,000 unknown members, 100,000 content parts, 100,000
//! input items, 50 MB of instructions, 20 MiB of base64 audio; and the time
//! for 100k, 300k and 1M unknown members, which must grow linearly.
//!
//! A counting global allocator records the bytes requested and not yet freed,
//! and its high-water mark. The figure is the peak during `judge` minus the
//! heap held before it (the frame itself), divided by the frame's length,
//! findings included: the report keeps the first 1,000 findings of each
//! severity (`check::DEFAULT_FINDINGS_KEPT`) and counts the rest, so a frame
//! of a million unknown members costs a thousand findings, not a million.
//! The bytes the kept findings hold are shown beside it. Results go to stdout and
//! `target/bench-report/hostile_memory.json`, which `scripts/bench-report`
//! turns into the `## Hostile frames` section of BENCHMARKS.md.
//!
//! ```text
//! cargo bench --bench hostile_memory
//! ```

use std::hint::black_box;
use std::time::Instant;

use realtime_harness::check::verdict::{judge, Verdict};
use realtime_harness::check::{Finding, Report};

#[path = "../tests/heap_support/mod.rs"]
mod heap_support;

use heap_support::{
    audio, content_parts, input_items, instructions, peak_during, tools, unknown_members, Counting,
    RATIO_BUDGET,
};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap bytes a report holds (its findings and their strings).
fn report_bytes(report: &Report) -> usize {
    report.findings.capacity() * std::mem::size_of::<Finding>()
        + report
            .findings
            .iter()
            .map(|f| f.pointer.capacity() + f.message.capacity())
            .sum::<usize>()
}

struct Row {
    name: String,
    frame_bytes: usize,
    peak_heap: usize,
    report_heap: usize,
    seconds: f64,
    /// Every finding, kept or counted.
    findings: usize,
    findings_kept: usize,
    outcome: String,
}

fn measure(name: &str, frame: String) -> Row {
    let frame = frame.into_bytes();
    let start = Instant::now();
    let (verdict, peak_heap): (Verdict, usize) = peak_during(|| judge(black_box(&frame), None));
    let seconds = start.elapsed().as_secs_f64();
    let report_heap = report_bytes(&verdict.report);
    assert!(
        verdict.error.is_none(),
        "{name}: the frame was not checked: {:?}",
        verdict.error
    );
    Row {
        name: name.to_owned(),
        frame_bytes: frame.len(),
        peak_heap,
        report_heap,
        seconds,
        findings: verdict.report.total(),
        findings_kept: verdict.report.findings.len(),
        outcome: verdict.outcome.as_str().to_owned(),
    }
}

fn main() {
    // `--quick` runs every case at a tenth of its size and writes nothing.
    let quick = std::env::args().any(|a| a == "--quick");
    let scale = if quick { 10 } else { 1 };
    let cases: Vec<(String, Box<dyn Fn() -> String>)> = vec![
        (
            format!("{} tools", 100_000 / scale),
            Box::new(move || tools(100_000 / scale)),
        ),
        (
            format!("{} unknown members", 1_000_000 / scale),
            Box::new(move || unknown_members(1_000_000 / scale)),
        ),
        (
            format!("{} content parts", 100_000 / scale),
            Box::new(move || content_parts(100_000 / scale)),
        ),
        (
            format!("{} input items", 100_000 / scale),
            Box::new(move || input_items(100_000 / scale)),
        ),
        (
            format!("{} MB instructions", 50 / scale),
            Box::new(move || instructions(50_000_000 / scale)),
        ),
        (
            format!("{} MiB audio", 20 / scale),
            Box::new(move || audio((20 << 20) / scale)),
        ),
    ];
    println!("peak heap of parse + check (`judge`) over the frame's length");
    let mut rows = Vec::new();
    for (name, build) in &cases {
        let row = measure(name, build());
        print_row(&row);
        rows.push(row);
    }
    println!("time of parse + check for growing numbers of unknown members");
    let mut linear = Vec::new();
    for n in [100_000, 300_000, 1_000_000] {
        let n = n / scale;
        let row = measure(&format!("{n} unknown members"), unknown_members(n));
        println!(
            "{:>24}: {:>8.3} s, {:>7.1} ns per member",
            row.name,
            row.seconds,
            row.seconds * 1e9 / n as f64
        );
        linear.push(serde_json::json!({
            "members": n,
            "frame_bytes": row.frame_bytes,
            "seconds": row.seconds,
        }));
    }
    let json_rows: Vec<_> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "frame": r.name,
                "frame_bytes": r.frame_bytes,
                "peak_heap": r.peak_heap,
                "report_heap": r.report_heap,
                "ratio": r.peak_heap as f64 / r.frame_bytes as f64,
                "seconds": r.seconds,
                "findings": r.findings,
                "findings_kept": r.findings_kept,
                "outcome": r.outcome,
            })
        })
        .collect();
    let report = serde_json::json!({
        "ratio_budget": RATIO_BUDGET,
        "rows": json_rows,
        "unknown_members_time": linear,
    });
    if !quick {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report");
        std::fs::create_dir_all(&dir).expect("create target/bench-report");
        let path = dir.join("hostile_memory.json");
        std::fs::write(&path, serde_json::to_string_pretty(&report).expect("JSON"))
            .expect("write hostile_memory.json");
        println!("wrote {}", path.display());
    }
}

fn print_row(row: &Row) {
    println!(
        "{:>24}: frame {:>9.2} MB, peak heap {:>9.2} MB ({:>6.2}x, findings included: {} kept of {}, {:.2} MB), {:>7.3} s, {}",
        row.name,
        row.frame_bytes as f64 / 1e6,
        row.peak_heap as f64 / 1e6,
        row.peak_heap as f64 / row.frame_bytes as f64,
        row.findings_kept,
        row.findings,
        row.report_heap as f64 / 1e6,
        row.seconds,
        row.outcome,
    );
}
