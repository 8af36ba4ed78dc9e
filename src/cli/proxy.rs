//! `realtime-harness proxy`: runs the proxy ([`crate::proxy`]) until
//! Ctrl-C, printing `listening on ws://HOST:PORT` first, then one line per
//! connection opened or refused, per finding as it arises, and per
//! connection closed. Exit status 1 when any finding was an error.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::Status;
use crate::check::Severity;
use crate::proxy::{Config, Note, Proxy, Recorder};

/// What `proxy` was asked for.
#[derive(Debug)]
pub struct ProxyOptions {
    /// `--listen`.
    pub listen: SocketAddr,
    /// `--upstream`.
    pub upstream: String,
    /// `--upstream-ca`.
    pub upstream_ca: Option<PathBuf>,
    /// `--record`.
    pub record: Option<PathBuf>,
    /// `--max-frame-bytes`.
    pub max_frame_bytes: usize,
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
        listen: options.listen,
        upstream: options.upstream,
        upstream_ca: options.upstream_ca,
        record,
        on_note: Some(on_note),
        max_message_bytes: options.max_frame_bytes,
    };
    let status = super::live::block_on(async {
        let proxy = match Proxy::bind(config).await {
            Ok(proxy) => proxy,
            Err(err) => {
                eprintln!("realtime-harness: error: {err}");
                return Status::Usage;
            }
        };
        match proxy.local_addr() {
            Ok(addr) => super::live::announce(&format!("ws://{addr}")),
            Err(err) => {
                eprintln!("realtime-harness: error: {err}");
                return Status::Usage;
            }
        }
        match proxy.run(super::live::ctrl_c()).await {
            Ok(()) => Status::Success,
            Err(err) => {
                eprintln!("realtime-harness: error: {err}");
                Status::Usage
            }
        }
    });
    if status == Status::Success && errors.load(Ordering::Relaxed) {
        Status::Nonconformance
    } else {
        status
    }
}
