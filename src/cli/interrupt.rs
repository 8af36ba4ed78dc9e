//! SIGINT and SIGTERM as a flag a long run polls, so it can finish the work
//! at hand and close its output properly instead of dying mid-write.

use std::io;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::flag;

/// The exit code of a second signal, which ends the process at once.
const FORCED_EXIT: i32 = 130;

/// A flag set by the first SIGINT or SIGTERM; a second one, while the run
/// is still closing, exits the process with 130 at once (a user pressing
/// Ctrl-C twice means it).
pub fn on_signals() -> io::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // Registered first, this handler sees the flag as the previous
        // signal left it: unset on the first signal, set on the second.
        flag::register_conditional_shutdown(signal, FORCED_EXIT, Arc::clone(&stop))?;
        flag::register(signal, Arc::clone(&stop))?;
    }
    Ok(stop)
}
