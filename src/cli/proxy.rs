//! `realtime-harness proxy`: runs the proxy ([`crate::proxy`]) until
//! Ctrl-C, printing `listening on ws://HOST:PORT` first, then one line per
//! connection opened or refused, per finding as it arises, and per
//! connection closed. Exit status 1 when any finding was an error.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::Status;
use crate::check::Severity;
use crate::proxy::{Config, Note, Proxy, Recorder};

/// What `proxy` was asked for.
#[derive(Debug)]
pub struct ProxyOptions {
    /// `--listen`, `--upstream`, `--upstream-ca`, `--max-frame-bytes`; the
    /// recorder and the note sink are [`run`]'s.
    pub config: Config,
    /// `--record`.
    pub record: Option<PathBuf>,
}

/// Runs the proxy until Ctrl-C.
pub fn run(options: ProxyOptions) -> Status {
    let record: Option<Recorder> = match super::live::create(options.record.as_deref(), "capture") {
        Ok(file) => file.map(|file| -> Recorder { Arc::new(Mutex::new(Box::new(file))) }),
        Err(status) => return status,
    };
    let errors = Arc::new(AtomicBool::new(false));
    let on_note = {
        let errors = Arc::clone(&errors);
        Arc::new(move |note: &Note| {
            if let Note::Finding(finding) = note {
                if finding.finding.severity == Severity::Error {
                    errors.store(true, Ordering::Relaxed);
                }
            }
            let mut stdout = io::stdout().lock();
            let _ = writeln!(stdout, "{note}");
            let _ = stdout.flush();
        })
    };
    let config = Config {
        record,
        on_note: Some(on_note),
        ..options.config
    };
    let status = super::live::block_on(async {
        let proxy = match Proxy::bind(config).await {
            Ok(proxy) => proxy,
            Err(err) => {
                eprintln!("realtime-harness: error: {err}");
                return Status::Usage;
            }
        };
        let url = proxy.local_addr().map(|addr| format!("ws://{addr}"));
        super::live::run_announced(url, proxy.run(super::live::ctrl_c())).await
    });
    if status == Status::Success && errors.load(Ordering::Relaxed) {
        Status::Nonconformance
    } else {
        status
    }
}
