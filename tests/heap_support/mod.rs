//! The heap counter and the wide frames of the hostile-frame budget,
//! shared by `benches/hostile_memory.rs` (full sizes, with times) and
//! `tests/heap_budget.rs` (smaller sizes, asserted on every `cargo test`).
//!
//! [`Counting`] forwards to the system allocator and records the bytes
//! requested and not yet freed, and their high-water mark; a binary that
//! uses it declares it its `#[global_allocator]`.

// Each binary that includes this module uses part of it.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The limit issue 15 sets: peak heap of parse plus check over the frame's length.
pub const RATIO_BUDGET: f64 = 4.0;

/// The counting allocator.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

/// `n` items joined by commas, each written by `item`.
fn joined(n: usize, mut item: impl FnMut(&mut String, usize)) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        item(&mut out, i);
    }
    out
}

pub fn tools(n: usize) -> String {
    let tools = joined(n, |s, i| {
        let _ = write!(
            s,
            r#"{{"type":"function","name":"f{i}","description":"d","parameters":{{"type":"object"}}}}"#
        );
    });
    format!(r#"{{"type":"session.update","session":{{"type":"realtime","tools":[{tools}]}}}}"#)
}

/// `n` unknown members of about 12 bytes each at the top of a client event.
pub fn unknown_members(n: usize) -> String {
    let members = joined(n, |s, i| {
        let _ = write!(s, r#""x{i:06}":0"#);
    });
    format!(r#"{{"type":"input_audio_buffer.clear",{members}}}"#)
}

/// `n` user `input_text` parts of 34 bytes in one `conversation.item.create`.
pub fn content_parts(n: usize) -> String {
    let parts = joined(n, |s, _| s.push_str(r#"{"type":"input_text","text":"hi"}"#));
    format!(
        r#"{{"type":"conversation.item.create","item":{{"type":"message","role":"user","content":[{parts}]}}}}"#
    )
}

/// `n` one-part user messages of 79 bytes in `response.create`'s `input`.
pub fn input_items(n: usize) -> String {
    let items = joined(n, |s, _| {
        s.push_str(
            r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}"#,
        )
    });
    format!(r#"{{"type":"response.create","response":{{"input":[{items}]}}}}"#)
}

pub fn instructions(len: usize) -> String {
    format!(
        r#"{{"type":"session.update","session":{{"type":"realtime","instructions":"{}"}}}}"#,
        "a".repeat(len)
    )
}

pub fn audio(base64_len: usize) -> String {
    format!(
        r#"{{"type":"input_audio_buffer.append","audio":"{}"}}"#,
        "AAAA".repeat(base64_len / 4)
    )
}

/// Runs `f` and returns its result with the peak of the heap during the
/// call, less the heap held before it.
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - before)
}
