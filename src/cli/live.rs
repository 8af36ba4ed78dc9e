//! What the networked commands (`serve`, `proxy`, `probe`) share: a multi-thread
//! runtime, the `listening on URL` first line that scripts wait for, and
//! Ctrl-C as the way to stop.

use std::fs::File;
use std::future::Future;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::Status;

/// The multi-thread runtime `serve`, `proxy` and `probe` run on; `Err`
/// (a usage error) after saying why it could not start.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, Status> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| {
            eprintln!("realtime-harness: error: cannot start the runtime: {err}");
            Status::Usage
        })
}

/// Runs `task` on [`runtime`].
pub(super) fn block_on(task: impl Future<Output = Status>) -> Status {
    match runtime() {
        Ok(runtime) => runtime.block_on(task),
        Err(status) => status,
    }
}

/// Creates the output file of an option (`--report`, `--record`), named
/// `what` in the error; `Ok(None)` when the option is not given.
pub(super) fn create(path: Option<&Path>, what: &str) -> Result<Option<BufWriter<File>>, Status> {
    let Some(path) = path else { return Ok(None) };
    match File::create(path) {
        Ok(file) => Ok(Some(BufWriter::new(file))),
        Err(err) => {
            eprintln!(
                "realtime-harness: error: cannot write the {what} {}: {}",
                path.display(),
                super::input::io_message(&err)
            );
            Err(Status::Usage)
        }
    }
}

/// Prints `listening on URL` as the first line, flushed at once.
pub(super) fn announce(url: &str) {
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "listening on {url}");
    let _ = stdout.flush();
}

/// Announces `url` (see [`announce`]), then awaits `service` (which
/// starts nothing before it is awaited); a failure of either is a usage
/// error, said on stderr.
pub(super) async fn run_announced(
    url: io::Result<String>,
    service: impl Future<Output = io::Result<()>>,
) -> Status {
    match url {
        Ok(url) => announce(&url),
        Err(err) => {
            eprintln!("realtime-harness: error: {err}");
            return Status::Usage;
        }
    }
    match service.await {
        Ok(()) => Status::Success,
        Err(err) => {
            eprintln!("realtime-harness: error: {err}");
            Status::Usage
        }
    }
}

/// Completes on Ctrl-C; without a signal handler, never (serve until killed).
pub(super) async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
