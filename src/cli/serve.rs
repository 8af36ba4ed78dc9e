//! `realtime-harness serve`: runs the reference server ([`crate::serve`])
//! until Ctrl-C, printing `listening on ws://HOST:PORT/v1/realtime` first
//! and, as each connection closes, one line per thing its client did wrong
//! (also written as JSON lines with `--report`).

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::Status;
use crate::serve::{Config, ConnectionReport, Fault, Faults, Server};

/// What `serve` was asked for.
#[derive(Debug)]
pub struct ServeOptions {
    /// `--listen`.
    pub listen: SocketAddr,
    /// `--api-key`.
    pub api_key: Option<String>,
    /// `--speed`.
    pub speed: f64,
    /// `--fault`, repeatable.
    pub faults: Vec<Fault>,
    /// `--report`.
    pub report: Option<PathBuf>,
    /// `--max-frame-bytes`.
    pub max_frame_bytes: usize,
}

/// `--list-faults`: one fault per line, name and what it does.
pub fn list_faults(out: &mut dyn Write) -> io::Result<()> {
    let width = Fault::ALL.iter().map(|f| f.name().len()).max().unwrap_or(0);
    for fault in Fault::ALL {
        writeln!(out, "{:<width$}  {}", fault.name(), fault.about())?;
    }
    out.flush()
}

/// One connection's report as text lines: a summary, then each finding.
pub fn report_lines(report: &ConnectionReport) -> Vec<String> {
    let faults: Vec<_> = report.faults.iter().map(Fault::name).collect();
    let mut lines = vec![format!(
        "connection {} ({}) closed: {} client frames, {} server events, {} findings{}",
        report.connection,
        report.peer,
        report.frames,
        report.events_sent,
        report.findings.len(),
        if faults.is_empty() {
            String::new()
        } else {
            format!(" (faults: {})", faults.join(", "))
        }
    )];
    lines.extend(
        report
            .findings
            .iter()
            .map(|finding| format!("connection {}: {finding}", report.connection)),
    );
    lines
}

/// Runs the server until Ctrl-C.
pub fn run(options: ServeOptions) -> Status {
    if !(options.speed.is_finite() && options.speed > 0.0) {
        eprintln!("realtime-harness: error: --speed must be a positive number");
        return Status::Usage;
    }
    let sink = match super::live::create(options.report.as_deref(), "report") {
        Ok(file) => file.map(|file| Arc::new(Mutex::new(file))),
        Err(status) => return status,
    };
    let on_close = {
        let sink = sink.clone();
        Arc::new(move |report: &ConnectionReport| {
            let stdout = io::stdout();
            let mut stdout = stdout.lock();
            for line in report_lines(report) {
                let _ = writeln!(stdout, "{line}");
            }
            let _ = stdout.flush();
            if let Some(sink) = &sink {
                let mut file = sink.lock().unwrap_or_else(|e| e.into_inner());
                for finding in &report.findings {
                    let mut record = serde_json::to_value(finding).unwrap_or_default();
                    if let Some(object) = record.as_object_mut() {
                        object.insert("connection".into(), report.connection.into());
                    }
                    let _ = writeln!(file, "{record}");
                }
                let _ = file.flush();
            }
        })
    };
    let config = Config {
        listen: options.listen,
        api_key: options.api_key,
        speed: options.speed,
        faults: options.faults.iter().copied().collect::<Faults>(),
        max_frame_bytes: options.max_frame_bytes,
        on_close: Some(on_close),
        ..Config::default()
    };
    super::live::block_on(async {
        let server = match Server::bind(config).await {
            Ok(server) => server,
            Err(err) => {
                eprintln!(
                    "realtime-harness: error: cannot listen on {}: {err}",
                    options.listen
                );
                return Status::Usage;
            }
        };
        let url = server.url();
        super::live::run_announced(url, server.run(super::live::ctrl_c())).await
    })
}
