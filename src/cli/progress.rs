//! Progress on stderr for long runs (`check`, `probe`): shown only when stderr is a terminal
//! and the run has lasted a second, redrawn at most five times a second.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const QUIET_START: Duration = Duration::from_secs(1);
const REDRAW: Duration = Duration::from_millis(200);

/// A progress line: `12345 frames, 48.2 MiB`.
pub struct Progress {
    enabled: bool,
    started: Instant,
    last: Option<Instant>,
}

impl Progress {
    /// Progress that shows itself only on a terminal.
    pub fn on_stderr() -> Self {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
        }
    }

    /// Reports the counts so far; cheap when nothing is drawn.
    pub fn tick(&mut self, frames: u64, bytes: u64) {
        if !frames.is_multiple_of(64) {
            return;
        }
        self.show(|| {
            let mib = bytes as f64 / (1024.0 * 1024.0);
            format!("{frames} frames, {mib:.1} MiB")
        });
    }

    /// Draws the line `line` makes, when it is time to; `line` is not
    /// called otherwise.
    pub fn show(&mut self, line: impl FnOnce() -> String) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.started) < QUIET_START
            || self.last.is_some_and(|l| now.duration_since(l) < REDRAW)
        {
            return;
        }
        self.last = Some(now);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}\x1b[K", line());
        let _ = err.flush();
    }

    /// Clears the line, if one was drawn.
    pub fn finish(&mut self) {
        if self.last.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}
