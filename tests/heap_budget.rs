//! Peak heap of parse plus check (`check::verdict::judge`) stays within
//! issue 15's budget, four times the frame, findings included, on the wide
//! frames of `benches/hostile_memory.rs` at a tenth of its sizes (a debug
//! build is slow; the structures, and so the bytes per item, are the same).
//!
//! One test in its own binary: the counting allocator sees the whole
//! process, so no other test may allocate while a frame is measured.

mod heap_support;

use heap_support::{
    audio, content_parts, input_items, instructions, peak_during, tools, unknown_members, Counting,
    RATIO_BUDGET,
};
use realtime_harness::check::verdict::judge;
use realtime_harness::check::DEFAULT_FINDINGS_KEPT;

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn wide_frames_peak_within_four_times_their_size() {
    let cases = [
        ("10000 tools", tools(10_000), 0),
        ("100000 unknown members", unknown_members(100_000), 100_000),
        ("10000 content parts", content_parts(10_000), 0),
        ("10000 input items", input_items(10_000), 0),
        ("5 MB instructions", instructions(5_000_000), 0),
        ("2 MiB audio", audio(2 << 20), 0),
    ];
    let mut ratios = Vec::new();
    for (name, frame, findings) in cases {
        let frame = frame.into_bytes();
        let (verdict, peak) = peak_during(|| judge(&frame, None));
        assert!(verdict.error.is_none(), "{name}: {:?}", verdict.error);
        assert_eq!(verdict.report.total(), findings, "{name}");
        assert!(
            verdict.report.findings.len() <= DEFAULT_FINDINGS_KEPT,
            "{name}"
        );
        let ratio = peak as f64 / frame.len() as f64;
        ratios.push(format!("{name}: {ratio:.2}x"));
        // Every one of these frames is kept whole or nearly by the model: a
        // counter that saw nothing would fail here, not pass the budget.
        assert!(
            ratio >= 0.9,
            "{name}: {ratio:.2}x, the counter missed the parse"
        );
        assert!(
            ratio <= RATIO_BUDGET,
            "{name}: peak heap {peak} bytes, {ratio:.2}x the frame's {} bytes",
            frame.len()
        );
    }
    println!("{}", ratios.join(", "));
}
